using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>
/// libpq password files: hostname:port:database:username:password, '*' wildcards, '\' escapes,
/// '#' comments; a file group or others can access is ignored.
/// </summary>
public sealed class PgPassFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _dir = TempDirectory.Create();

    public void Dispose() => _dir.Dispose();

    private string Write(string content, UnixFileMode mode = OwnerOnly)
    {
        Skip.If(OperatingSystem.IsWindows(), "libpq password file permissions are a Unix concept");
        return _dir.WriteFile("pgpass-" + Guid.NewGuid().ToString("N"), content, mode);
    }

    [SkippableFact]
    public void Finds_an_exact_match()
    {
        var file = Write("db.example.com:5432:app:alice:s3cret\n");
        Assert.Equal("s3cret", PgPassFile.Lookup(file, "db.example.com", 5432, "app", "alice"));
    }

    [SkippableTheory]
    [InlineData("other.example.com", 5432, "app", "alice")]
    [InlineData("db.example.com", 5433, "app", "alice")]
    [InlineData("db.example.com", 5432, "other", "alice")]
    [InlineData("db.example.com", 5432, "app", "bob")]
    [InlineData("DB.EXAMPLE.COM", 5432, "app", "alice")]
    [InlineData("db.example.com", 5432, "App", "alice")]
    public void Each_field_must_match(string host, int port, string database, string user)
    {
        var file = Write("db.example.com:5432:app:alice:s3cret\n");
        Assert.Null(PgPassFile.Lookup(file, host, port, database, user));
    }

    [SkippableTheory]
    [InlineData("*:5432:app:alice:pw", "anyhost", 5432, "app", "alice")]
    [InlineData("h:*:app:alice:pw", "h", 6543, "app", "alice")]
    [InlineData("h:5432:*:alice:pw", "h", 5432, "anydb", "alice")]
    [InlineData("h:5432:app:*:pw", "h", 5432, "app", "anyone")]
    [InlineData("*:*:*:*:pw", "x", 1, "y", "z")]
    public void Star_matches_any_value_in_its_field(string line, string host, int port, string database, string user)
    {
        var file = Write(line + "\n");
        Assert.Equal("pw", PgPassFile.Lookup(file, host, port, database, user));
    }

    [SkippableFact]
    public void Star_is_a_wildcard_only_as_a_whole_field()
    {
        var file = Write("db*:5432:app:alice:pw\n");
        Assert.Null(PgPassFile.Lookup(file, "db1", 5432, "app", "alice"));
        Assert.Equal("pw", PgPassFile.Lookup(file, "db*", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void First_matching_line_wins()
    {
        var file = Write("h:5432:app:alice:first\n*:*:*:*:fallback\nh:5432:app:alice:second\n");
        Assert.Equal("first", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
        Assert.Equal("fallback", PgPassFile.Lookup(file, "other", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Skips_comments_blank_lines_and_short_lines()
    {
        var file = Write("# h:5432:app:alice:commented\n\nh:5432:app\nh:5432:app:alice\nh:5432:app:alice:real\n");
        Assert.Equal("real", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Comment_only_file_has_no_password()
    {
        var file = Write("# nothing here\n#*:*:*:*:pw\n");
        Assert.Null(PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Escaped_colon_and_backslash_in_the_password()
    {
        var file = Write(@"h:5432:app:alice:pa\:ss\\word" + "\n");
        Assert.Equal(@"pa:ss\word", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Escaped_colon_and_backslash_in_the_match_fields()
    {
        var file = Write(@"fe80\:\:1:5432:my\:db:dom\\alice:pw" + "\n");
        Assert.Equal("pw", PgPassFile.Lookup(file, "fe80::1", 5432, "my:db", @"dom\alice"));
        Assert.Null(PgPassFile.Lookup(file, "fe80", 5432, "my:db", @"dom\alice"));
    }

    [SkippableFact]
    public void Escaped_star_in_the_password_is_literal()
    {
        var file = Write(@"h:5432:app:alice:\*star" + "\n");
        Assert.Equal("*star", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Password_may_be_empty()
    {
        var file = Write("h:5432:app:alice:\n");
        Assert.Equal("", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Non_ascii_passwords_are_read_as_utf8()
    {
        var file = Write("h:5432:app:jürgen:pässwörd密码🔑\n");
        Assert.Equal("pässwörd密码🔑", PgPassFile.Lookup(file, "h", 5432, "app", "jürgen"));
    }

    [SkippableFact]
    public void Windows_line_endings_are_handled()
    {
        var file = Write("# comment\r\nh:5432:app:alice:pw\r\n");
        Assert.Equal("pw", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Last_line_without_newline_is_read()
    {
        var file = Write("h:5432:app:alice:pw");
        Assert.Equal("pw", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableTheory]
    [InlineData("/var/run/postgresql")]
    [InlineData("/tmp")]
    [InlineData("/custom/socket/dir")]
    public void Unix_socket_hosts_match_localhost(string socketDirectory)
    {
        var file = Write("localhost:5432:app:alice:local-pw\n");
        Assert.Equal("local-pw", PgPassFile.Lookup(file, socketDirectory, 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Unix_socket_host_does_not_match_a_line_for_its_path()
    {
        var file = Write("/var/run/postgresql:5432:app:alice:path-pw\n");
        Assert.Null(PgPassFile.Lookup(file, "/var/run/postgresql", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Tcp_host_does_not_match_localhost_line()
    {
        var file = Write("localhost:5432:app:alice:local-pw\n");
        Assert.Null(PgPassFile.Lookup(file, "127.0.0.1", 5432, "app", "alice"));
        Assert.Equal("local-pw", PgPassFile.Lookup(file, "localhost", 5432, "app", "alice"));
    }

    [SkippableTheory]
    [InlineData(UnixFileMode.UserRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)]
    public void Owner_only_files_are_used(UnixFileMode mode)
    {
        var file = Write("*:*:*:*:pw\n", mode);
        Assert.Equal("pw", PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [SkippableTheory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.GroupExecute)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.OtherWrite)]
    [InlineData(UnixFileMode.OtherExecute)]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    public void Files_that_group_or_others_can_access_are_ignored(UnixFileMode extra)
    {
        var file = Write("*:*:*:*:pw\n", OwnerOnly | extra);
        Assert.Null(PgPassFile.Lookup(file, "h", 5432, "app", "alice"));
    }

    [Fact]
    public void Missing_file_has_no_password()
    {
        Assert.Null(PgPassFile.Lookup(Path.Combine(_dir.Path, "no-such-file"), "h", 5432, "app", "alice"));
    }

    [Fact]
    public void Directory_has_no_password()
    {
        Assert.Null(PgPassFile.Lookup(_dir.Path, "h", 5432, "app", "alice"));
    }

    [SkippableFact]
    public void Default_path_is_HOME_dot_pgpass()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix path");
        Assert.Equal(Path.Combine("/home/someone", ".pgpass"), PgPassFile.DefaultPath(name => name == "HOME" ? "/home/someone" : null));
    }

    [SkippableFact]
    public void Default_path_on_windows_is_under_APPDATA()
    {
        Skip.IfNot(OperatingSystem.IsWindows(), "Windows path");
        Assert.Equal(Path.Combine(@"C:\AppData", "postgresql", "pgpass.conf"), PgPassFile.DefaultPath(name => name == "APPDATA" ? @"C:\AppData" : null));
    }
}
