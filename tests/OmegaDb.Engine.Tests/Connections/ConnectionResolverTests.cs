using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>
/// ConnectionResolver completes a connection as libpq does: the given string, else DATABASE_URL;
/// then PG* variables for what is missing; then the credential; then the password file; then defaults.
/// The environment is always injected; the real process environment is never read.
/// </summary>
public class ConnectionResolverTests
{
    private static readonly string[] PossibleDefaultHosts = ["localhost", "/var/run/postgresql", "/tmp"];

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Uses_DATABASE_URL_when_no_connection_string_is_given(string? connectionString)
    {
        using var env = new FakeEnvironment(("DATABASE_URL", "postgresql://envuser:envpw@envhost:6543/envdb?sslmode=require"));
        var resolver = env.Resolver();

        var settings = resolver.Resolve(connectionString);

        Assert.Equal(["envhost|6543"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("envdb", settings.Database);
        Assert.Equal("envuser", settings.User);
        Assert.Equal("envpw", settings.Password);
        Assert.Equal("require", settings.GetParameter("sslmode"));
        Assert.Equal("DATABASE_URL", resolver.LastSource);
    }

    [Fact]
    public void DATABASE_URL_may_be_a_keyword_string()
    {
        using var env = new FakeEnvironment(("DATABASE_URL", "host=kwhost port=6000 dbname=kwdb user=kwuser password=kwpw"));
        var settings = env.Resolver().Resolve(null);
        Assert.Equal(["kwhost|6000"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("kwdb", settings.Database);
        Assert.Equal("kwuser", settings.User);
        Assert.Equal("kwpw", settings.Password);
    }

    [Fact]
    public void Explicit_connection_string_wins_over_DATABASE_URL()
    {
        using var env = new FakeEnvironment(("DATABASE_URL", "postgresql://envuser:envpw@envhost:6543/envdb?sslmode=require"));
        var resolver = env.Resolver();

        var settings = resolver.Resolve("postgresql://u:pw@h:5433/db");

        Assert.Equal(["h|5433"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("db", settings.Database);
        Assert.Equal("u", settings.User);
        Assert.Equal("pw", settings.Password);
        Assert.Null(settings.GetParameter("sslmode"));
        Assert.Equal("the given connection string", resolver.LastSource);
    }

    [Fact]
    public void Empty_DATABASE_URL_counts_as_unset()
    {
        using var env = new FakeEnvironment(("DATABASE_URL", ""), ("PGHOST", "pghost"), ("PGUSER", "pguser"), ("PGPASSWORD", "pgpw"));
        var resolver = env.Resolver();

        var settings = resolver.Resolve(null);

        Assert.Equal(["pghost|5432"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("the PG* environment variables and defaults", resolver.LastSource);
    }

    [Fact]
    public void Invalid_DATABASE_URL_fails_with_the_parser_error_id_and_no_password()
    {
        using var env = new FakeEnvironment(("DATABASE_URL", "mysql://u:Secr3tPw@h/db"));
        var ex = Assert.Throws<OmegaException>(() => env.Resolver().Resolve(null));
        Assert.Equal(ConnectionStringParser.UnsupportedSchemeErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidArgument, ex.Category);
        Assert.DoesNotContain("Secr3tPw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_explicit_string_fails_even_when_DATABASE_URL_is_valid()
    {
        using var env = new FakeEnvironment(("DATABASE_URL", "postgresql://u:pw@h/db"));
        var ex = Assert.Throws<OmegaException>(() => env.Resolver().Resolve("postgresql://u:pw@h:abc/db"));
        Assert.Equal(ConnectionStringParser.InvalidUriErrorId, ex.ErrorId);
    }

    [Fact]
    public void PG_variables_alone_describe_the_connection()
    {
        using var env = new FakeEnvironment(
            ("PGHOST", "pghost"), ("PGPORT", "6432"), ("PGDATABASE", "pgdb"), ("PGUSER", "pguser"), ("PGPASSWORD", "pgpw"),
            ("PGSSLMODE", "verify-full"), ("PGAPPNAME", "pgapp"), ("PGCONNECT_TIMEOUT", "12"), ("PGOPTIONS", "-c search_path=x"),
            ("PGTARGETSESSIONATTRS", "read-write"), ("PGSSLROOTCERT", "/etc/ca.pem"), ("PGCLIENTENCODING", "UTF8"));

        var settings = env.Resolver().Resolve(null);

        Assert.Equal(["pghost|6432"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("pgdb", settings.Database);
        Assert.Equal("pguser", settings.User);
        Assert.Equal("pgpw", settings.Password);
        Assert.Equal("verify-full", settings.GetParameter("sslmode"));
        Assert.Equal("pgapp", settings.GetParameter("application_name"));
        Assert.Equal("12", settings.GetParameter("connect_timeout"));
        Assert.Equal("-c search_path=x", settings.GetParameter("options"));
        Assert.Equal("read-write", settings.GetParameter("target_session_attrs"));
        Assert.Equal("/etc/ca.pem", settings.GetParameter("sslrootcert"));
        Assert.Equal("UTF8", settings.GetParameter("client_encoding"));
    }

    [Fact]
    public void PG_variables_fill_only_what_the_string_leaves_out()
    {
        using var env = new FakeEnvironment(
            ("PGHOST", "pghost"), ("PGPORT", "6432"), ("PGDATABASE", "pgdb"), ("PGUSER", "pguser"), ("PGPASSWORD", "pgpw"),
            ("PGSSLMODE", "disable"), ("PGAPPNAME", "pgapp"), ("PGCONNECT_TIMEOUT", "12"));

        var settings = env.Resolver().Resolve("postgresql://u@h:5433/db?sslmode=require");

        Assert.Equal(["h|5433"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("db", settings.Database);
        Assert.Equal("u", settings.User);
        Assert.Equal("pgpw", settings.Password);
        Assert.Equal("require", settings.GetParameter("sslmode"));
        Assert.Equal("pgapp", settings.GetParameter("application_name"));
        Assert.Equal("12", settings.GetParameter("connect_timeout"));
    }

    [Fact]
    public void PGPORT_applies_to_a_host_given_without_a_port()
    {
        using var env = new FakeEnvironment(("PGHOST", "pghost"), ("PGPORT", "6432"), ("PGPASSWORD", "x"));
        var settings = env.Resolver().Resolve("postgresql://u@h/db");
        Assert.Equal(["h|6432"], ConnectionAssert.Describe(settings.Hosts));
    }

    [Fact]
    public void PGPORT_applies_to_every_host_without_a_port()
    {
        using var env = new FakeEnvironment(("PGPORT", "6432"), ("PGPASSWORD", "x"));
        var settings = env.Resolver().Resolve("postgresql://u@h1,h2/db");
        Assert.Equal(["h1|6432", "h2|6432"], ConnectionAssert.Describe(settings.Hosts));
    }

    [Fact]
    public void PGHOST_and_PGPORT_may_list_several_hosts()
    {
        using var env = new FakeEnvironment(("PGHOST", "h1,h2"), ("PGPORT", "5432,5433"), ("PGUSER", "u"), ("PGPASSWORD", "x"));
        var settings = env.Resolver().Resolve(null);
        Assert.Equal(["h1|5432", "h2|5433"], ConnectionAssert.Describe(settings.Hosts));
    }

    [Fact]
    public void PGHOST_may_be_a_socket_directory()
    {
        using var env = new FakeEnvironment(("PGHOST", "/var/run/postgresql"), ("PGUSER", "u"), ("PGPASSWORD", "x"));
        var settings = env.Resolver().Resolve(null);
        var host = Assert.Single(settings.Hosts);
        Assert.Equal("/var/run/postgresql", host.Host);
        Assert.True(host.IsUnixSocket);
        Assert.Equal(5432, host.Port);
    }

    [Fact]
    public void PGHOST_fills_the_host_of_a_string_that_gives_only_a_database()
    {
        using var env = new FakeEnvironment(("PGHOST", "pghost"), ("PGUSER", "u"), ("PGPASSWORD", "x"));
        Assert.Equal(["pghost|5432"], ConnectionAssert.Describe(env.Resolver().Resolve("postgresql:///db").Hosts));
        Assert.Equal(["pghost|5432"], ConnectionAssert.Describe(env.Resolver().Resolve("dbname=db").Hosts));
    }

    [Fact]
    public void PGHOST_fills_the_host_of_a_string_that_gives_only_a_port()
    {
        using var env = new FakeEnvironment(("PGHOST", "pghost"), ("PGUSER", "u"), ("PGPASSWORD", "x"));
        Assert.Equal(["pghost|5433"], ConnectionAssert.Describe(env.Resolver().Resolve("postgresql://:5433/db").Hosts));
        Assert.Equal(["pghost|5433"], ConnectionAssert.Describe(env.Resolver().Resolve("postgresql:///db?port=5433").Hosts));
        Assert.Equal(["pghost|5433"], ConnectionAssert.Describe(env.Resolver().Resolve("port=5433 dbname=db").Hosts));
    }

    [Fact]
    public void Empty_PG_variables_count_as_unset()
    {
        using var env = new FakeEnvironment(("PGHOST", ""), ("PGPORT", ""), ("PGDATABASE", ""), ("PGUSER", "u"), ("PGPASSWORD", ""), ("PGSSLMODE", ""));
        var settings = env.Resolver().Resolve("postgresql://u:pw@h/db");
        Assert.Equal(["h|5432"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("pw", settings.Password);
        Assert.Null(settings.GetParameter("sslmode"));
    }

    [Fact]
    public void Password_in_the_uri_wins_over_PGPASSWORD()
    {
        using var env = new FakeEnvironment(("PGPASSWORD", "from-env"));
        Assert.Equal("from-uri", env.Resolver().Resolve("postgresql://u:from-uri@h/db").Password);
    }

    [Fact]
    public void Empty_password_in_the_uri_still_wins_over_PGPASSWORD()
    {
        using var env = new FakeEnvironment(("PGPASSWORD", "from-env"));
        Assert.Equal("", env.Resolver().Resolve("postgresql://u:@h/db").Password);
    }

    [Fact]
    public void PGPASSWORD_is_used_when_the_uri_has_no_password()
    {
        using var env = new FakeEnvironment(("PGPASSWORD", "from-env"));
        Assert.Equal("from-env", env.Resolver().Resolve("postgresql://u@h/db").Password);
    }

    [Fact]
    public void Credential_user_and_password_win_over_everything()
    {
        using var env = new FakeEnvironment(("DATABASE_URL", "postgresql://envuser:envpw@envhost/envdb"), ("PGUSER", "pguser"), ("PGPASSWORD", "pgpw"));
        var fromString = env.Resolver().Resolve("postgresql://u:pw@h/db", user: "cred-user", password: "cred-pw");
        var fromEnv = env.Resolver().Resolve(null, user: "cred-user", password: "cred-pw");

        Assert.Equal("cred-user", fromString.User);
        Assert.Equal("cred-pw", fromString.Password);
        Assert.Equal("db", fromString.Database);
        Assert.Equal("cred-user", fromEnv.User);
        Assert.Equal("cred-pw", fromEnv.Password);
        Assert.Equal("envdb", fromEnv.Database);
    }

    [Fact]
    public void Credential_user_alone_keeps_the_uri_password()
    {
        using var env = new FakeEnvironment();
        var settings = env.Resolver().Resolve("postgresql://u:pw@h/db", user: "cred-user");
        Assert.Equal("cred-user", settings.User);
        Assert.Equal("pw", settings.Password);
    }

    [Fact]
    public void Credential_user_becomes_the_default_database()
    {
        using var env = new FakeEnvironment(("PGUSER", "pguser"));
        var settings = env.Resolver().Resolve("postgresql://h", user: "alice", password: "pw");
        Assert.Equal("alice", settings.User);
        Assert.Equal("alice", settings.Database);
    }

    [Fact]
    public void Defaults_are_port_5432_and_database_named_after_the_user()
    {
        using var env = new FakeEnvironment(("PGPASSWORD", "x"));
        var settings = env.Resolver().Resolve("postgresql://bob@db.example.com");
        Assert.Equal(["db.example.com|5432"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("bob", settings.User);
        Assert.Equal("bob", settings.Database);
    }

    [Fact]
    public void Default_database_follows_PGUSER()
    {
        using var env = new FakeEnvironment(("PGUSER", "carol"), ("PGPASSWORD", "x"));
        var settings = env.Resolver().Resolve("postgresql://h");
        Assert.Equal("carol", settings.User);
        Assert.Equal("carol", settings.Database);
    }

    [Fact]
    public void With_nothing_at_all_the_defaults_are_the_os_user_and_a_local_server()
    {
        using var env = new FakeEnvironment();
        var settings = env.Resolver().Resolve(null);

        var host = Assert.Single(settings.Hosts);
        Assert.Contains(host.Host, PossibleDefaultHosts);
        Assert.Equal(5432, host.Port);
        Assert.Equal(Environment.UserName, settings.User);
        Assert.Equal(Environment.UserName, settings.Database);
        Assert.Null(settings.Password);
    }

    [Fact]
    public void Every_host_without_a_port_gets_5432()
    {
        using var env = new FakeEnvironment(("PGPASSWORD", "x"));
        var settings = env.Resolver().Resolve("postgresql://u@h1,h2:5433,[::1]/db");
        Assert.Equal(["h1|5432", "h2|5433", "::1|5432"], ConnectionAssert.Describe(settings.Hosts));
    }

    [SkippableFact]
    public void PGPASSFILE_is_used_when_no_password_is_given()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var env = new FakeEnvironment(("PGUSER", "u"));
        var file = env.Home.WriteFile("custom.pgpass", "h:5433:db:u:from-file\n");
        env["PGPASSFILE"] = file;

        var settings = env.Resolver().Resolve("postgresql://h:5433/db");

        Assert.Equal("from-file", settings.Password);
        Assert.Equal(file, settings.GetParameter("passfile"));
    }

    [SkippableFact]
    public void Passfile_from_the_uri_is_used_when_no_password_is_given()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var env = new FakeEnvironment();
        var file = env.Home.WriteFile("uri.pgpass", "*:*:*:u:from-uri-file\n");
        var other = env.Home.WriteFile("env.pgpass", "*:*:*:u:from-env-file\n");
        env["PGPASSFILE"] = other;

        var settings = env.Resolver().Resolve($"postgresql://u@h/db?passfile={Uri.EscapeDataString(file)}");

        Assert.Equal("from-uri-file", settings.Password);
    }

    [SkippableFact]
    public void Default_password_file_is_HOME_dot_pgpass()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes and ~/.pgpass");
        using var env = new FakeEnvironment();
        env.Home.WriteFile(".pgpass", "h:5432:db:u:from-home\n");

        Assert.Equal("from-home", env.Resolver().Resolve("postgresql://u@h/db").Password);
    }

    [SkippableFact]
    public void Password_file_is_looked_up_with_the_resolved_defaults()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var env = new FakeEnvironment(("PGUSER", "dave"));
        env["PGPASSFILE"] = env.Home.WriteFile("pgpass", "h:5432:db:u:wrong-pgpass-pw\nh:5432:dave:dave:right-pgpass-pw\n");

        // Port 5432 and database "dave" are defaults, filled in before the lookup.
        Assert.Equal("right-pgpass-pw", env.Resolver().Resolve("postgresql://h").Password);
    }

    [SkippableFact]
    public void Password_file_is_not_read_when_a_password_is_known()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var env = new FakeEnvironment();
        env["PGPASSFILE"] = env.Home.WriteFile("pgpass", "*:*:*:*:from-file\n");

        Assert.Equal("from-uri", env.Resolver().Resolve("postgresql://u:from-uri@h/db").Password);
        Assert.Equal("from-cred", env.Resolver().Resolve("postgresql://u@h/db", password: "from-cred").Password);
        env["PGPASSWORD"] = "from-env";
        Assert.Equal("from-env", env.Resolver().Resolve("postgresql://u@h/db").Password);
    }

    [SkippableFact]
    public void Password_file_uses_the_first_host()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var env = new FakeEnvironment();
        env["PGPASSFILE"] = env.Home.WriteFile("pgpass", "h2:5433:db:u:second-host-pgpass-pw\nh1:5432:db:u:first-host-pgpass-pw\n");
        Assert.Equal("first-host-pgpass-pw", env.Resolver().Resolve("postgresql://u@h1,h2:5433/db").Password);
    }

    [Fact]
    public void No_password_anywhere_leaves_it_unset()
    {
        using var env = new FakeEnvironment();
        env["PGPASSFILE"] = Path.Combine(env.Home.Path, "does-not-exist");
        Assert.Null(env.Resolver().Resolve("postgresql://u@h/db").Password);
    }

    [Theory]
    [InlineData("PGSSLMODE", "sometimes")]
    [InlineData("PGCONNECT_TIMEOUT", "soon")]
    [InlineData("PGTARGETSESSIONATTRS", "master")]
    [InlineData("PGCHANNELBINDING", "maybe")]
    [InlineData("PGGSSENCMODE", "always")]
    public void Invalid_PG_variable_value_is_an_invalid_parameter(string variable, string value)
    {
        using var env = new FakeEnvironment((variable, value), ("PGPASSWORD", "Secr3tPw"));
        var ex = Assert.Throws<OmegaException>(() => env.Resolver().Resolve("postgresql://u@h/db"));
        Assert.Equal(ConnectionStringParser.InvalidParameterErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidArgument, ex.Category);
        Assert.DoesNotContain("Secr3tPw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_PGPORT_is_an_argument_error()
    {
        using var env = new FakeEnvironment(("PGPORT", "abc"), ("PGPASSWORD", "Secr3tPw"));
        var ex = Assert.Throws<OmegaException>(() => env.Resolver().Resolve("postgresql://u@h/db"));
        Assert.Equal(OmegaErrorCategory.InvalidArgument, ex.Category);
        Assert.DoesNotContain("Secr3tPw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_PGPORT_is_an_invalid_parameter()
    {
        using var env = new FakeEnvironment(("PGPORT", "abc"));
        var ex = Assert.Throws<OmegaException>(() => env.Resolver().Resolve("postgresql://u:pw@h/db"));
        Assert.Equal(ConnectionStringParser.InvalidParameterErrorId, ex.ErrorId);
    }

    [Fact]
    public void PGPORT_count_must_match_the_host_count()
    {
        using var env = new FakeEnvironment(("PGPORT", "5432,5433,5434"));
        var ex = Assert.Throws<OmegaException>(() => env.Resolver().Resolve("postgresql://u:pw@h1,h2/db"));
        Assert.Equal(ConnectionStringParser.InvalidParameterErrorId, ex.ErrorId);
    }

    [Fact]
    public void Resolved_passwords_are_scrubbed_from_later_messages()
    {
        var password = "Scrub-" + Guid.NewGuid().ToString("N");
        using var env = new FakeEnvironment();
        env.Resolver().Resolve($"postgresql://u:{password}@h/db?sslpassword=Key-{password}");

        var scrubbed = SecretScrubber.Scrub($"failed with {password} and Key-{password} and {Uri.EscapeDataString(password)}");
        Assert.DoesNotContain(password, scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_only_the_injected_environment()
    {
        using var env = new FakeEnvironment();
        env.Resolver().Resolve(null, user: "u", password: "pw");
        Assert.Contains("DATABASE_URL", env.Lookups);
        Assert.Contains("PGHOST", env.Lookups);
        Assert.Contains("PGSSLMODE", env.Lookups);
    }
}
