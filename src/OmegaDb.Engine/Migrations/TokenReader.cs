namespace OmegaDb.Migrations;

/// <summary>
/// A cursor over a statement's significant tokens for reading the few clauses the analysis
/// cares about (<c>DROP TABLE [IF EXISTS] a, b</c>, ...), without a full SQL grammar.
/// </summary>
internal sealed class TokenReader(IReadOnlyList<SqlToken> tokens, int position = 0)
{
    public IReadOnlyList<SqlToken> Tokens { get; } = tokens;

    public int Position { get; set; } = position;

    public bool AtEnd => Position >= Tokens.Count;

    public SqlToken? Peek(int ahead = 0) => Position + ahead < Tokens.Count ? Tokens[Position + ahead] : null;

    /// <summary>True when the next tokens are these keywords, in order.</summary>
    public bool Is(params string[] keywords) =>
        keywords.Select((k, i) => Peek(i)?.IsKeyword(k) == true).All(m => m);

    /// <summary>Consumes the keywords when the next tokens are exactly these, in order.</summary>
    public bool Accept(params string[] keywords)
    {
        if (!Is(keywords))
        {
            return false;
        }

        Position += keywords.Length;
        return true;
    }

    /// <summary>Consumes and returns the next token when it is one of these keywords.</summary>
    public SqlToken? AcceptAny(params string[] keywords)
    {
        var token = Peek();
        if (token is null || !token.IsKeyword(keywords))
        {
            return null;
        }

        Position++;
        return token;
    }

    /// <summary>Consumes the next token when it is this punctuation or operator, such as <c>*</c> or <c>(</c>.</summary>
    public bool AcceptSymbol(string text)
    {
        if (Peek() is not { Kind: SqlTokenKind.Punctuation or SqlTokenKind.Operator } token || token.Text != text)
        {
            return false;
        }

        Position++;
        return true;
    }

    /// <summary>Skips a parenthesised group when one starts here; returns the tokens inside it.</summary>
    public IReadOnlyList<SqlToken> SkipParenthesized()
    {
        if (Peek()?.IsPunctuation("(") != true)
        {
            return [];
        }

        var start = Position + 1;
        var depth = 0;
        do
        {
            if (Tokens[Position].IsPunctuation("("))
            {
                depth++;
            }
            else if (Tokens[Position].IsPunctuation(")"))
            {
                depth--;
            }

            Position++;
        }
        while (depth > 0 && !AtEnd);

        return Tokens.Skip(start).Take(Math.Max(0, Position - start - (depth == 0 ? 1 : 0))).ToList();
    }

    /// <summary>Reads <c>name</c>, <c>schema.name</c> or <c>db.schema.name</c>, quoted or not.</summary>
    public SqlObjectName? ReadName()
    {
        if (Peek()?.IsName != true)
        {
            return null;
        }

        var parts = new List<string> { Tokens[Position++].Identifier! };
        while (Peek()?.IsPunctuation(".") == true && Peek(1)?.IsName == true)
        {
            parts.Add(Tokens[Position + 1].Identifier!);
            Position += 2;
        }

        return parts.Count == 1 ? new SqlObjectName(null, parts[0]) : new SqlObjectName(parts[^2], parts[^1]);
    }

    /// <summary>
    /// Splits the rest of the tokens at commas outside parentheses: the items of a list such
    /// as <c>DROP TABLE a, b</c> or the actions of an <c>ALTER TABLE</c>.
    /// </summary>
    public List<IReadOnlyList<SqlToken>> RestAsList()
    {
        var items = new List<IReadOnlyList<SqlToken>>();
        var item = new List<SqlToken>();
        var depth = 0;
        for (; !AtEnd; Position++)
        {
            var token = Tokens[Position];
            depth += token.IsPunctuation("(") || token.IsPunctuation("[") ? 1 : token.IsPunctuation(")") || token.IsPunctuation("]") ? -1 : 0;
            if (depth == 0 && token.IsPunctuation(","))
            {
                items.Add(item);
                item = [];
                continue;
            }

            item.Add(token);
        }

        items.Add(item);
        return items;
    }

    /// <summary>The index of the first of these keywords outside parentheses, from the current position; -1 when there is none.</summary>
    public int FindAtTopLevel(params string[] keywords)
    {
        var depth = 0;
        for (var i = Position; i < Tokens.Count; i++)
        {
            var token = Tokens[i];
            if (token.IsPunctuation("(") || token.IsPunctuation("["))
            {
                depth++;
            }
            else if (token.IsPunctuation(")") || token.IsPunctuation("]"))
            {
                depth--;
            }
            else if (depth == 0 && token.IsKeyword(keywords))
            {
                return i;
            }
        }

        return -1;
    }
}
