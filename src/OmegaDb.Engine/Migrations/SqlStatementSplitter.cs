namespace OmegaDb.Migrations;

/// <summary>
/// Splits a script into statements at the semicolons that end them, the way psql does:
/// not inside strings, comments or dollar quotes (the lexer sees to that), not inside
/// parentheses (a rule's <c>DO ( ...; ... )</c>), and not inside the SQL-standard body of a
/// <c>CREATE FUNCTION</c> or <c>CREATE PROCEDURE</c> (<c>BEGIN ATOMIC ...; END</c>).
/// Empty statements and a tail of only comments are dropped.
/// </summary>
internal static class SqlStatementSplitter
{
    /// <exception cref="SqlSyntaxException">The script has a string, comment or dollar quote that does not end.</exception>
    public static SqlScript Split(string sql) => Split(sql, SqlLexer.Tokenize(sql));

    /// <summary>Splits already lexed tokens of <paramref name="source"/>, such as one section of a migration file.</summary>
    public static SqlScript Split(string source, IEnumerable<SqlToken> tokens)
    {
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        var state = new NestingState();
        foreach (var token in tokens.Where(t => !t.IsTrivia))
        {
            if (token.Kind == SqlTokenKind.Semicolon && state.AtTopLevel)
            {
                Finish();
                continue;
            }

            state.Observe(current, token);
            current.Add(token);
        }

        var unclosed = current.Count > 0 ? state.Unclosed : null;
        Finish();
        return new SqlScript(statements, unclosed);

        void Finish()
        {
            if (current.Count > 0)
            {
                var first = current[0];
                var text = source[first.Offset..current[^1].End];
                statements.Add(new SqlStatement(text, first.Offset, first.Line, first.Column, current.ToArray()));
            }

            current.Clear();
            state = new NestingState();
        }
    }

    /// <summary>Where the statement being read is: how deep in parentheses and in an atomic body.</summary>
    private sealed class NestingState
    {
        private int _parentheses;

        // Inside BEGIN ATOMIC: 1 plus the CASE expressions still open, as each ends with END.
        private int _atomicDepth;
        private bool _atomicPending;

        public bool AtTopLevel => _parentheses == 0 && _atomicDepth == 0;

        public string? Unclosed =>
            _atomicDepth > 0 ? "a BEGIN ATOMIC body without its END"
            : _parentheses > 0 ? "an unclosed parenthesis"
            : null;

        /// <param name="before">The statement's significant tokens before <paramref name="token"/>.</param>
        public void Observe(List<SqlToken> before, SqlToken token)
        {
            var afterBegin = _atomicPending;
            _atomicPending = false;
            if (token.IsPunctuation("("))
            {
                _parentheses++;
                return;
            }

            if (token.IsPunctuation(")"))
            {
                _parentheses = Math.Max(0, _parentheses - 1);
                return;
            }

            // "AS end" and "x.end" are names, not the keyword.
            if (token.Kind != SqlTokenKind.Word || (before.Count > 0 && (before[^1].IsKeyword("AS") || before[^1].IsPunctuation("."))))
            {
                return;
            }

            if (_atomicDepth > 0)
            {
                if (token.IsKeyword("CASE"))
                {
                    _atomicDepth++;
                }
                else if (token.IsKeyword("END"))
                {
                    _atomicDepth--;
                }

                return;
            }

            if (afterBegin && token.IsKeyword("ATOMIC"))
            {
                _atomicDepth = 1;
                return;
            }

            _atomicPending = token.IsKeyword("BEGIN") && _parentheses == 0 && IsRoutineDefinition(before);
        }

        private static bool IsRoutineDefinition(List<SqlToken> before)
        {
            var i = 0;
            if (before.Count == 0 || !before[i++].IsKeyword("CREATE"))
            {
                return false;
            }

            if (before.Count > i + 1 && before[i].IsKeyword("OR") && before[i + 1].IsKeyword("REPLACE"))
            {
                i += 2;
            }

            return before.Count > i && before[i].IsKeyword("FUNCTION", "PROCEDURE");
        }
    }
}
