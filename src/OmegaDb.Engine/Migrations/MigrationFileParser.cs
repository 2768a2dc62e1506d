namespace OmegaDb.Migrations;

/// <summary>
/// Reads one migration file into a <see cref="MigrationScript"/>. Markers are found with the
/// lexer, so a <c>-- omega:down</c> inside a string, a block comment or a function body is
/// text, not a marker. Every problem is an <see cref="OmegaException"/> that names the file
/// and line, because it is found before anything runs and the user has to fix the file.
/// </summary>
internal static class MigrationFileParser
{
    public const string InvalidMigrationFileErrorId = "OmegaDb.InvalidMigrationFile";

    public static MigrationScript ParseFile(string path)
    {
        var text = MigrationFileText.Read(path, out var problem);
        return text is not null ? Parse(path, text) : throw Invalid(path, $"{Path.GetFileName(path)} {problem}");
    }

    /// <param name="path">The file's path; its name gives the version and name.</param>
    /// <param name="content">The file's text; CRLF line ends are normalised to LF first.</param>
    public static MigrationScript Parse(string path, string content)
    {
        var fileName = Path.GetFileName(path);
        var (version, name) = MigrationFileName.Parse(fileName, out var nameProblem) ?? throw Invalid(path, nameProblem!);
        var text = MigrationFileText.Normalise(content);
        var file = new FileContext(path, fileName, text);
        var tokens = file.Tokenize();
        var directives = FindDirectives(file, tokens);
        var transactional = CheckNoTransactionFlag(file, tokens, directives);
        var sections = ReadSections(file, tokens, directives.Where(d => d.Directive.Section is not null).ToList());

        return new MigrationScript(
            version,
            name,
            path,
            MigrationChecksum.Compute(text),
            sections.GetValueOrDefault(MigrationSectionKind.Up) ?? throw file.Error(directives.First(d => d.Directive.Section is not null).Token.Line,
                "the file has sections but no '-- omega:up'. Put '-- omega:up' above the statements that apply the migration."),
            sections.GetValueOrDefault(MigrationSectionKind.Down),
            sections.GetValueOrDefault(MigrationSectionKind.Verify),
            transactional);
    }

    private static OmegaException Invalid(string path, string message) =>
        new(InvalidMigrationFileErrorId, OmegaErrorCategory.InvalidData, message, path);

    private static List<PlacedDirective> FindDirectives(FileContext file, IReadOnlyList<SqlToken> tokens)
    {
        var found = new List<PlacedDirective>();
        foreach (var token in tokens.Where(t => t.Kind == SqlTokenKind.LineComment))
        {
            if (MigrationDirective.TryRead(token.Text) is not { } directive)
            {
                continue;
            }

            if (!directive.IsKnown)
            {
                var closest = directive.ClosestKnown();
                throw file.Error(token.Line,
                    $"'{token.Text.Trim()}' is not a directive OmegaDb knows.{(closest is null ? string.Empty : $" Did you mean '-- omega:{closest}'?")} The directives are {MigrationDirective.KnownList}.");
            }

            if (directive.Trailing.Length > 0)
            {
                throw file.Error(token.Line,
                    $"a marker line holds only the marker: move '{directive.Trailing}' off the '{directive.Marker}' line, to a comment line of its own.");
            }

            if (!file.StartsItsLine(token))
            {
                throw file.Error(token.Line, $"'{directive.Marker}' shares its line with SQL. Put the marker on a line of its own.");
            }

            found.Add(new PlacedDirective(directive, token));
        }

        return found;
    }

    private static bool CheckNoTransactionFlag(FileContext file, IReadOnlyList<SqlToken> tokens, List<PlacedDirective> directives)
    {
        var flags = directives.Where(d => d.Directive.Name == MigrationDirective.NoTransaction).ToList();
        if (flags.Count == 0)
        {
            return true;
        }

        if (flags.Count > 1)
        {
            throw file.Error(flags[1].Token.Line, $"'-- omega:no-transaction' is given twice (first at line {flags[0].Token.Line}). Remove one.");
        }

        // The flag describes the whole migration, so it must be read before any of its SQL.
        var flag = flags[0].Token;
        var sqlBefore = tokens.Any(t => !t.IsTrivia && t.Offset < flag.Offset);
        var sectionsBefore = directives.Count(d => d.Directive.Section is not null && d.Token.Offset < flag.Offset);
        if (sqlBefore || sectionsBefore > 1)
        {
            throw file.Error(flag.Line,
                "'-- omega:no-transaction' must come before the migration's first statement: at the top of the file, or right after the first section marker.");
        }

        return false;
    }

    private static Dictionary<MigrationSectionKind, MigrationSection> ReadSections(FileContext file, IReadOnlyList<SqlToken> tokens, List<PlacedDirective> markers)
    {
        var sections = new Dictionary<MigrationSectionKind, MigrationSection>();
        if (markers.Count == 0)
        {
            var script = SqlStatementSplitter.Split(file.Text, tokens);
            CheckClosed(file, script, "the file ends");
            sections[MigrationSectionKind.Up] = script.Statements.Count > 0
                ? new MigrationSection(MigrationSectionKind.Up, script.Statements)
                : throw file.Error(1, "the file has no SQL. Add the statements that apply the migration.");
            return sections;
        }

        if (tokens.FirstOrDefault(t => !t.IsTrivia && t.Offset < markers[0].Token.Offset) is { } stray)
        {
            throw file.Error(stray.Line,
                $"SQL before the first section marker ('{markers[0].Directive.Marker}' at line {markers[0].Token.Line}). Move it into a section, usually under '-- omega:up'.");
        }

        var firstLine = new Dictionary<MigrationSectionKind, int>();
        for (var i = 0; i < markers.Count; i++)
        {
            var (directive, marker) = markers[i];
            var kind = directive.Section!.Value;
            if (firstLine.TryGetValue(kind, out var earlier))
            {
                throw file.Error(marker.Line, $"a second '{directive.Marker}' section (the first starts at line {earlier}). Merge them into one.");
            }

            firstLine[kind] = marker.Line;
            var next = i + 1 < markers.Count ? markers[i + 1].Token : null;
            var script = SqlStatementSplitter.Split(file.Text, tokens.Where(t => t.Offset > marker.Offset && (next is null || t.Offset < next.Offset)));
            CheckClosed(file, script, next is null ? "the file ends" : $"the section ends at line {next.Line}");
            if (script.Statements.Count == 0)
            {
                throw file.Error(marker.Line, $"the '{directive.Marker}' section is empty. Add its SQL, or remove the marker.");
            }

            sections[kind] = new MigrationSection(kind, script.Statements);
        }

        return sections;
    }

    private static void CheckClosed(FileContext file, SqlScript script, string where)
    {
        if (script.UnclosedConstruct is { } construct)
        {
            var open = script.Statements[^1];
            throw file.Error(open.Line,
                $"the statement that starts here (column {open.Column}) is still inside {construct} when {where}. Close it, and end the statement with ';'.");
        }
    }

    private sealed record PlacedDirective(MigrationDirective Directive, SqlToken Token);

    private sealed record FileContext(string Path, string FileName, string Text)
    {
        public OmegaException Error(int line, string problem) => Invalid(Path, $"{FileName}, line {line}: {problem}");

        public IReadOnlyList<SqlToken> Tokenize()
        {
            try
            {
                return SqlLexer.Tokenize(Text);
            }
            catch (SqlSyntaxException ex)
            {
                throw Invalid(Path, $"{FileName}, line {ex.Line}, column {ex.Column}: {ex.Message}");
            }
        }

        public bool StartsItsLine(SqlToken token)
        {
            for (var i = token.Offset - 1; i >= 0 && !SqlLexer.EndsLine(Text, i); i--)
            {
                if (!char.IsWhiteSpace(Text[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
