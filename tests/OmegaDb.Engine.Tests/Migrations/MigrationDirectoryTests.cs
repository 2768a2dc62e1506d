using System.Text;
using OmegaDb.Migrations;
using OmegaDb.Tests.Connections;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// A migrations folder: .sql files in version order, other files ignored, misnamed .sql
/// files and duplicate versions refused, and the file's encoding and line ends not changing
/// what runs or its checksum.
/// </summary>
public sealed class MigrationDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = TempDirectory.Create();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string content = "SELECT 1;\n") => _dir.WriteFile(name, content, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Loads_sql_files_in_numeric_version_order_and_ignores_the_rest()
    {
        Write("10_ten.sql");
        Write("9_nine.sql");
        Write("0002_two.SQL");
        Write("README.md", "# not a migration");
        Write("notes.txt", "SELECT oops");
        Write("001_one.sql.bak", "garbage '");
        Write(".#003_lock.sql", "garbage '");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "004_folder.sql"));

        var scripts = MigrationDirectory.Load(_dir.Path);

        Assert.Equal([2L, 9L, 10L], scripts.Select(s => s.Version));
        Assert.Equal(["two", "nine", "ten"], scripts.Select(s => s.Name));
        Assert.Equal(Path.Combine(_dir.Path, "0002_two.SQL"), scripts[0].Path);
    }

    [Fact]
    public void An_empty_folder_has_no_migrations() => Assert.Empty(MigrationDirectory.Load(_dir.Path));

    [Fact]
    public void Duplicate_versions_are_refused_naming_both_files()
    {
        Write("001_a.sql");
        Write("1_b.sql");
        Write("2_c.sql");

        var ex = Assert.Throws<OmegaException>(() => MigrationDirectory.Load(_dir.Path));

        Assert.Equal(MigrationDirectory.DuplicateVersionErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidData, ex.Category);
        Assert.Contains("'001_a.sql'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'1_b.sql'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("same version, 1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("2_c.sql", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misnamed_sql_file_is_an_error_not_skipped()
    {
        Write("001_a.sql");
        Write("add_column.sql");

        var ex = Assert.Throws<OmegaException>(() => MigrationDirectory.Load(_dir.Path));

        Assert.Equal(MigrationFileParser.InvalidMigrationFileErrorId, ex.ErrorId);
        Assert.Contains("add_column.sql", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_file_is_reported_with_its_name_and_line()
    {
        Write("001_a.sql");
        Write("002_b.sql", "-- omega:up\nSELECT 1;\n-- omega:dwon\nSELECT 2;\n");

        var ex = Assert.Throws<OmegaException>(() => MigrationDirectory.Load(_dir.Path));

        Assert.StartsWith("002_b.sql, line 3:", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_dir.Path, "002_b.sql"), ex.Target);
    }

    [Fact]
    public void A_missing_folder_is_object_not_found()
    {
        var missing = Path.Combine(_dir.Path, "nope");
        var ex = Assert.Throws<OmegaException>(() => MigrationDirectory.Load(missing));
        Assert.Equal(MigrationDirectory.PathNotFoundErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.ObjectNotFound, ex.Category);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_instead_of_a_folder_is_object_not_found()
    {
        var file = Write("001_a.sql");
        var ex = Assert.Throws<OmegaException>(() => MigrationDirectory.Load(file));
        Assert.Equal(MigrationDirectory.PathNotFoundErrorId, ex.ErrorId);
        Assert.Contains("is a file, not a migrations folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoding_and_line_ends_do_not_change_the_text_or_checksum()
    {
        const string text = "-- omega:up\nINSERT INTO t VALUES ('é\nü');\n-- omega:down\nDELETE FROM t;\n";
        var crlf = text.Replace("\n", "\r\n");
        var paths = new[]
        {
            Write("1_lf.sql", text),
            WriteBytes("2_crlf_bom.sql", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(crlf)]),
            WriteBytes("3_utf16le.sql", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(crlf)]),
            WriteBytes("4_utf16be.sql", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)]),
        };

        var scripts = paths.Select(MigrationFileParser.ParseFile).ToList();

        Assert.All(scripts, s => Assert.Equal(MigrationChecksum.Compute(text), s.Checksum));
        Assert.All(scripts, s => Assert.Equal("INSERT INTO t VALUES ('é\nü')", s.Up.Statements[0].Text));
        Assert.All(scripts, s => Assert.Equal((5, 1), (s.Down!.Statements[0].Line, s.Down.Statements[0].Column)));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var path = WriteBytes("001_latin1.sql", [.. Encoding.ASCII.GetBytes("SELECT '"), 0xE9, .. Encoding.ASCII.GetBytes("';\n")]);
        var ex = Assert.Throws<OmegaException>(() => MigrationFileParser.ParseFile(path));
        Assert.Equal(MigrationFileParser.InvalidMigrationFileErrorId, ex.ErrorId);
        Assert.Contains("001_latin1.sql is not valid UTF-8", ex.Message, StringComparison.Ordinal);
    }
}
