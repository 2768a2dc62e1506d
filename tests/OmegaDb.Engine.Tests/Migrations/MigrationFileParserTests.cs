using OmegaDb.Migrations;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// Migration files: the name gives the version, markers found by the lexer divide the
/// sections, statement positions are in the file, and every malformed file is refused with
/// the file and line in the message.
/// </summary>
public class MigrationFileParserTests
{
    private const string Dir = "/migrations/";

    private static MigrationScript Parse(string content, string fileName = "001_add_avatar.sql") =>
        MigrationFileParser.Parse(Dir + fileName, content);

    private static string[] Texts(MigrationSection? section) => section?.Statements.Select(s => s.Text).ToArray() ?? [];

    [Theory]
    [InlineData("001_add_avatar.sql", 1, "add_avatar")]
    [InlineData("1_add_avatar.sql", 1, "add_avatar")]
    [InlineData("0000000042_x.sql", 42, "x")]
    [InlineData("20240101120000_create users.sql", 20240101120000, "create users")]
    [InlineData("7_a_b_c.SQL", 7, "a_b_c")]
    [InlineData("0_baseline.sql", 0, "baseline")]
    [InlineData("9223372036854775807_max.sql", long.MaxValue, "max")]
    public void File_name_gives_version_and_name(string fileName, long version, string name)
    {
        var script = Parse("SELECT 1;", fileName);
        Assert.Equal(version, script.Version);
        Assert.Equal(name, script.Name);
        Assert.Equal(Dir + fileName, script.Path);
        Assert.Equal(fileName, script.FileName);
    }

    [Fact]
    public void A_file_without_markers_is_all_up()
    {
        var script = Parse("ALTER TABLE t ADD COLUMN a int;\nUPDATE t SET a = 1;\n");
        Assert.Equal(["ALTER TABLE t ADD COLUMN a int", "UPDATE t SET a = 1"], Texts(script.Up));
        Assert.Equal(MigrationSectionKind.Up, script.Up.Kind);
        Assert.Null(script.Down);
        Assert.Null(script.Verify);
        Assert.True(script.Transactional);
    }

    [Fact]
    public void Markers_divide_the_sections_in_any_order_and_case()
    {
        var script = Parse("""
            -- a leading comment is fine
            --OMEGA:Verify
            SELECT count(*) = 1 FROM information_schema.columns WHERE column_name = 'avatar_url';
              -- omega:up
            ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS avatar_url TEXT;
            --	omega:down
            ALTER TABLE user_profiles DROP COLUMN IF EXISTS avatar_url;
            """);
        Assert.Equal(["ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS avatar_url TEXT"], Texts(script.Up));
        Assert.Equal(["ALTER TABLE user_profiles DROP COLUMN IF EXISTS avatar_url"], Texts(script.Down));
        Assert.Equal(["SELECT count(*) = 1 FROM information_schema.columns WHERE column_name = 'avatar_url'"], Texts(script.Verify));
        Assert.Equal([MigrationSectionKind.Up, MigrationSectionKind.Down, MigrationSectionKind.Verify], [script.Up.Kind, script.Down!.Kind, script.Verify!.Kind]);
    }

    [Fact]
    public void Marker_text_inside_strings_comments_and_bodies_is_not_a_marker()
    {
        var script = Parse("""
            -- omega:up
            SELECT '
            -- omega:down
            ';
            /*
            -- omega:down
            */
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
            -- omega:down
            BEGIN RETURN 1; END $$;
            SELECT 1 -- omega is mentioned, but not as a directive
            ;
            -- omega:down
            DROP FUNCTION f();
            """);
        Assert.Equal(3, script.Up.Statements.Count);
        Assert.Equal(["DROP FUNCTION f()"], Texts(script.Down));
    }

    [Fact]
    public void Statements_know_their_line_and_column_in_the_file()
    {
        var script = Parse("-- omega:up\nINSERT INTO t VALUES ('a\nb');  UPDATE t SET x = 1;\n-- omega:down\n\n   DELETE FROM t;\n-- omega:verify\r\nSELECT true;");
        Assert.Equal(["2:1", "3:7"], script.Up.Statements.Select(s => $"{s.Line}:{s.Column}"));
        Assert.Equal(["6:4"], script.Down!.Statements.Select(s => $"{s.Line}:{s.Column}"));
        Assert.Equal(["8:1"], script.Verify!.Statements.Select(s => $"{s.Line}:{s.Column}"));
    }

    [Theory]
    [InlineData("-- omega:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);")]
    [InlineData("-- a comment first\n-- OMEGA:NO-TRANSACTION\n-- omega:up\nCREATE INDEX CONCURRENTLY i ON t (a);")]
    [InlineData("-- omega:up\n-- omega:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- omega:down\nDROP INDEX CONCURRENTLY i;")]
    public void No_transaction_flag_before_the_first_statement(string content)
    {
        var script = Parse(content);
        Assert.False(script.Transactional);
        Assert.Equal(["CREATE INDEX CONCURRENTLY i ON t (a)"], Texts(script.Up));
    }

    [Fact]
    public void Line_ends_are_normalised_to_lf_in_the_statements()
    {
        var script = Parse("-- omega:up\r\nSELECT 'a\r\nb';\r\n");
        Assert.Equal("SELECT 'a\nb'", script.Up.Statements[0].Text);
    }

    [Fact]
    public void Checksum_is_sha256_of_the_lf_text_and_ignores_crlf()
    {
        const string lf = "-- omega:up\nSELECT 1;\n-- omega:down\nSELECT 2;\n";
        var checksum = Parse(lf).Checksum;

        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lf))).ToLowerInvariant(), checksum);
        Assert.Equal(checksum, Parse(lf.Replace("\n", "\r\n")).Checksum);
        Assert.Equal(checksum, MigrationChecksum.Compute(lf.Replace("\n", "\r\n")));
        Assert.NotEqual(checksum, Parse(lf.Replace("SELECT 2", "SELECT  2")).Checksum);
        Assert.NotEqual(checksum, Parse(lf + "-- a new comment\n").Checksum);
        Assert.NotEqual(checksum, Parse(lf.Replace("\n", "\r")).Checksum);
    }

    [Fact]
    public void Checksum_has_a_known_value()
    {
        // printf 'SELECT 1;\n' | sha256sum. Fixed so that a change of algorithm, encoding or normalisation cannot slip through:
        // every applied migration would suddenly look modified.
        Assert.Equal("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd", MigrationChecksum.Compute("SELECT 1;\n"));
    }

    /// <summary>File content, the line the message must name, and a fragment of the message.</summary>
    public static TheoryData<string, int, string> InvalidFiles => new()
    {
        { "-- omega:upp\nSELECT 1;", 1, "Did you mean '-- omega:up'?" },
        { "-- omega:up\nSELECT 1;\n-- omega:dwon\nSELECT 2;", 3, "Did you mean '-- omega:down'?" },
        { "-- omega:up\nSELECT 1;\n-- omega:verfy\nSELECT true;", 3, "Did you mean '-- omega:verify'?" },
        { "-- omega:notransaction\nSELECT 1;", 1, "Did you mean '-- omega:no-transaction'?" },
        { "-- omega:rollback\nSELECT 1;", 1, "is not a directive OmegaDb knows. The directives are -- omega:up" },
        { "-- omega:\nSELECT 1;", 1, "is not a directive" },
        { "-- omega:down:\nSELECT 1;", 1, "Did you mean '-- omega:down'?" },
        { "-- omega:up adds the avatar\nSELECT 1;", 1, "move 'adds the avatar' off the '-- omega:up' line" },
        { "-- omega:up\nSELECT 1; -- omega:down\nSELECT 2;", 2, "'-- omega:down' shares its line with SQL" },
        { "-- omega:up\nSELECT 1;\n/* c */ -- omega:down\nSELECT 2;", 3, "shares its line" },
        { "-- omega:up\nSELECT 1;\n-- omega:down\nSELECT 2;\n-- omega:up\nSELECT 3;", 5, "a second '-- omega:up' section (the first starts at line 1)" },
        { "-- omega:up\nSELECT 1;\n-- omega:verify\nSELECT 2;\n\n-- omega:verify\nSELECT 3;", 6, "a second '-- omega:verify' section (the first starts at line 3)" },
        { "-- omega:up\nSELECT 1;\n-- omega:down\n  -- nothing to undo\n;\n/* really */\n-- omega:verify\nSELECT 1;", 3, "the '-- omega:down' section is empty" },
        { "-- omega:up\n\n-- omega:down\nSELECT 1;", 1, "the '-- omega:up' section is empty" },
        { "SELECT 1;\n-- omega:up\nSELECT 2;", 1, "SQL before the first section marker ('-- omega:up' at line 2)" },
        { "-- omega:down\nSELECT 1;\n-- omega:verify\nSELECT 2;", 1, "no '-- omega:up'" },
        { "", 1, "the file has no SQL" },
        { "-- just a comment\n/* and another */;", 1, "the file has no SQL" },
        { "-- omega:up\nSELECT 1;\n-- omega:no-transaction\n", 3, "must come before the migration's first statement" },
        { "-- omega:up\nSELECT 1;\n-- omega:down\n-- omega:no-transaction\nSELECT 2;", 4, "must come before the migration's first statement" },
        { "-- omega:no-transaction\n-- omega:no-transaction\nSELECT 1;", 2, "given twice (first at line 1)" },
        { "-- omega:up\nSELECT 1;\n-- omega:down\nSELECT 'oops;\n", 4, "column 8: The string that starts here has no closing '" },
        { "-- omega:up\nSELECT 1;\n/* -- omega:down\nSELECT 2;", 3, "column 1: The block comment that starts here has no closing */" },
        { "-- omega:up\nDO $$ BEGIN\n  PERFORM 1;\nEND $;", 2, "column 4: The dollar-quoted string that starts here has no closing $$" },
        { "-- omega:up\nSELECT 1;\nSELECT (2;\n-- omega:down\nSELECT 3;", 3, "still inside an unclosed parenthesis when the section ends at line 4" },
        { "CREATE FUNCTION f() RETURNS int\nBEGIN ATOMIC\n  SELECT 1;", 1, "still inside a BEGIN ATOMIC body without its END when the file ends" },
    };

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Invalid_files_are_refused_naming_file_and_line(string content, int line, string fragment)
    {
        var ex = Assert.Throws<OmegaException>(() => Parse(content, "007_broken.sql"));
        Assert.Equal(MigrationFileParser.InvalidMigrationFileErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidData, ex.Category);
        Assert.Equal(Dir + "007_broken.sql", ex.Target);
        Assert.StartsWith($"007_broken.sql, line {line}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add_avatar.sql", "is not a migration file name")]
    [InlineData("001-add_avatar.sql", "is not a migration file name")]
    [InlineData("001_add_avatar.psql", "is not a migration file name")]
    [InlineData("v001_add_avatar.sql", "is not a migration file name")]
    [InlineData("001add.sql", "is not a migration file name")]
    [InlineData("001_.sql", "has no name after its version")]
    [InlineData("001_ .sql", "has no name after its version")]
    [InlineData("99999999999999999999_big.sql", "is too large")]
    [InlineData("١٢_arabic_digits.sql", "is not a migration file name")]
    public void Bad_file_names_are_refused(string fileName, string fragment)
    {
        var ex = Assert.Throws<OmegaException>(() => Parse("SELECT 1;", fileName));
        Assert.Equal(MigrationFileParser.InvalidMigrationFileErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidData, ex.Category);
        Assert.Contains(fileName, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }
}
