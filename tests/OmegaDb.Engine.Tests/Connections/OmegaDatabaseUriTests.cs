using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>
/// OmegaDatabase.ToString() is a redacted URI that never holds the password;
/// GetConnectionUri() is the full URI and parses back to the same settings.
/// </summary>
public sealed class OmegaDatabaseUriTests : IDisposable
{
    private readonly FakeEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private OmegaDatabase Create(string connectionString, string? user = null, string? password = null, string? name = null, string? environment = null) =>
        DatabaseConnector.Create(connectionString, user, password, name, environment, _env.Get);

    /// <summary>Passwords that differ from every other part of the URIs they are used in.</summary>
    public static TheoryData<string> Passwords => new()
    {
        "S3cr3tPassw0rd",
        "p@ss:w/rd?x#y%z",
        "100%25literal",
        "with space and+plus",
        "a&b=c;d,e",
        "[brackets]{braces}",
        "quote'double\"back\\slash",
        "pässwörd",
        "密码密码",
        "🔑🔒key",
        "tab\tnewline\n",
        "~!$^*()_-.'",
    };

    [Theory]
    [MemberData(nameof(Passwords))]
    public void ToString_never_contains_the_password(string password)
    {
        var database = Create("postgresql://alice@db.example.com:5433/app?sslmode=require", password: password);

        var text = database.ToString();

        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(password), text, StringComparison.Ordinal);
        Assert.Equal("postgresql://alice:****@db.example.com:5433/app?sslmode=require", text);
        Assert.DoesNotContain(password, database.Name, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Passwords))]
    public void GetConnectionUri_round_trips_the_password(string password)
    {
        var database = Create("postgresql://alice@db.example.com:5433/app", password: password);

        var reparsed = ConnectionStringParser.Parse(database.GetConnectionUri());

        Assert.Equal(password, reparsed.Password);
        ConnectionAssert.Equivalent(database.Settings, reparsed);
    }

    [Theory]
    [InlineData("postgresql://u:pw@h/db")]
    [InlineData("postgresql://u:pw@h:5433/db")]
    [InlineData("postgresql://u%40corp:p%40ss@h/db")]
    [InlineData("postgresql://j%C3%BCrgen:p%C3%A4ss@h/caf%C3%A9")]
    [InlineData("postgresql://u:p+ss@h/my%20db")]
    [InlineData("postgresql://u:pw@[::1]/db")]
    [InlineData("postgresql://u:pw@[::1]:5433/db")]
    [InlineData("postgresql://u:pw@[2001:db8::1]:6432/db")]
    [InlineData("postgresql://u:pw@h1:5432,h2:5433/db")]
    [InlineData("postgresql://u:pw@h1,[::1]:5433,h3/db")]
    [InlineData("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql/db")]
    [InlineData("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql:5433/db")]
    [InlineData("postgresql://u:pw@h/a%2Fb")]
    [InlineData("postgresql://u:@h/db")]
    [InlineData("postgresql://u@h/db")]
    [InlineData("postgresql://u:pw@h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&sslcert=%2Fc.pem&sslkey=%2Fk.pem")]
    [InlineData("postgresql://u:pw@h/db?options=-c%20search_path%3Dapp%2Cpublic&application_name=a%26b%3Dc")]
    [InlineData("postgresql://u:pw@h/db?connect_timeout=10&target_session_attrs=read-write&client_encoding=UTF8")]
    [InlineData("postgresql://u:pw@h/db?fallback_application_name=fb")]
    [InlineData("postgresql://u:pw@h/db?sslpassword=k%40y")]
    [InlineData("host=h port=5433 dbname=app user=u password='a b\\'c'")]
    [InlineData("Host=h;Port=5433;Database=app;Username=u;Password=p@ss:w;SSL Mode=Require;Timeout=9")]
    public void GetConnectionUri_parses_back_to_the_same_settings(string connectionString)
    {
        var database = Create(connectionString);

        var uri = database.GetConnectionUri();
        var reparsed = ConnectionStringParser.Parse(uri);

        ConnectionAssert.Equivalent(database.Settings, reparsed);
        Assert.StartsWith("postgresql://", uri, StringComparison.Ordinal);
        Assert.Equal(uri, DatabaseConnector.Create(uri, getEnv: _env.Get).GetConnectionUri());
    }

    [Fact]
    public void Round_trip_keeps_host_port_database_user_password_and_parameters()
    {
        var database = Create("postgresql://app%40corp:p%40ss%3Aw%2Frd@[2001:db8::1]:6432,h2:5433/my%20db?sslmode=require&application_name=my%20app&connect_timeout=5");

        var reparsed = ConnectionStringParser.Parse(database.GetConnectionUri());

        Assert.Equal(["2001:db8::1|6432", "h2|5433"], ConnectionAssert.Describe(reparsed.Hosts));
        Assert.Equal("my db", reparsed.Database);
        Assert.Equal("app@corp", reparsed.User);
        Assert.Equal("p@ss:w/rd", reparsed.Password);
        Assert.Equal(["application_name=my app", "connect_timeout=5", "sslmode=require"], ConnectionAssert.Describe(reparsed.Parameters));
    }

    [Fact]
    public void ToString_without_password_has_no_password_marker()
    {
        var database = Create("postgresql://alice@h/app");
        Assert.Null(database.Settings.Password);
        Assert.Equal("postgresql://alice@h:5432/app", database.ToString());
        Assert.Equal(database.ToString(), database.GetConnectionUri());
    }

    [Fact]
    public void ToString_redacts_the_ssl_key_password_too()
    {
        var database = Create("postgresql://alice:S3cr3tPw@h/app?sslpassword=K3yPa55&sslkey=%2Fk.pem");

        var text = database.ToString();

        Assert.DoesNotContain("S3cr3tPw", text, StringComparison.Ordinal);
        Assert.DoesNotContain("K3yPa55", text, StringComparison.Ordinal);
        Assert.Contains("sslpassword=****", text, StringComparison.Ordinal);
        Assert.Contains("K3yPa55", database.GetConnectionUri(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_brackets_ipv6_and_encodes_socket_directories()
    {
        Assert.Equal("postgresql://u:****@[::1]:5433/db", Create("postgresql://u:pw@[::1]:5433/db").ToString());
        Assert.Equal("postgresql://u:****@h1:5432,[2001:db8::1]:6432/db", Create("postgresql://u:pw@h1,[2001:db8::1]:6432/db").ToString());
        Assert.Equal("postgresql://u:****@%2Fvar%2Frun%2Fpostgresql:5432/db", Create("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql/db").ToString());
    }

    [Fact]
    public void GetConnectionUri_percent_encodes_the_password()
    {
        var uri = Create("postgresql://u@h/db", password: "p@ss:w/rd?#% +").GetConnectionUri();
        Assert.Equal("postgresql://u:p%40ss%3Aw%2Frd%3F%23%25%20%2B@h:5432/db", uri);
    }

    [Fact]
    public void Properties_describe_the_resolved_connection()
    {
        var database = Create("postgresql://alice:pw@h1:6432,h2/app", name: "billing", environment: "Production");

        Assert.Equal("billing", database.Name);
        Assert.Equal("h1,h2", database.Host);
        Assert.Equal(6432, database.Port);
        Assert.Equal("app", database.Database);
        Assert.Equal("alice", database.User);
        Assert.Equal("Production", database.Environment);
        Assert.True(database.IsProduction);
        Assert.Null(database.ServerVersion);
    }

    [Theory]
    [InlineData("postgresql://u:pw@db.example.com/app", "app@db.example.com")]
    [InlineData("postgresql://u:pw@db.example.com:5432/app", "app@db.example.com")]
    [InlineData("postgresql://u:pw@db.example.com:6432/app", "app@db.example.com:6432")]
    [InlineData("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql/app", "app@local")]
    [InlineData("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql:5433/app", "app@local:5433")]
    [InlineData("postgresql://u:pw@h1,h2/app", "app@h1")]
    public void Default_name_is_database_at_host(string connectionString, string name)
    {
        Assert.Equal(name, Create(connectionString).Name);
        Assert.Equal(name, Create(connectionString, name: "  ").Name);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("Staging", false)]
    [InlineData("production", true)]
    [InlineData("PRODUCTION", true)]
    public void Environment_marks_production(string? environment, bool isProduction)
    {
        var database = Create("postgresql://u:pw@h/db", environment: environment);
        Assert.Equal(isProduction, database.IsProduction);
        if (string.IsNullOrWhiteSpace(environment))
        {
            Assert.Null(database.Environment);
        }
    }

    [Fact]
    public void Defaults_are_filled_in_the_uri()
    {
        var database = Create("postgresql://h", user: "tester", password: "pw");
        Assert.Equal("postgresql://tester:****@h:5432/tester", database.ToString());
    }

    [Fact]
    public void Mistyped_keyword_string_never_exposes_the_password()
    {
        OmegaDatabase? database = null;
        try
        {
            database = Create("host=db user=u password=Secr3tPw dbname=app foo=bar");
        }
        catch (OmegaException)
        {
        }

        if (database is not null)
        {
            Assert.DoesNotContain("Secr3tPw", database.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Secr3tPw", database.Name, StringComparison.Ordinal);
            Assert.DoesNotContain("Secr3tPw", database.Host, StringComparison.Ordinal);
        }
    }
}
