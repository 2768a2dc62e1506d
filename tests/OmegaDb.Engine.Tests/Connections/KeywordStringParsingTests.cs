using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>
/// libpq keyword/value strings (host=db port=5432) and Npgsql keyword strings (Host=db;Port=5432).
/// </summary>
public class KeywordStringParsingTests
{
    private static readonly string[] None = [];

    /// <summary>input, hosts ("host|port"), database, user, password, parameters.</summary>
    public static TheoryData<string, string[], string?, string?, string?, string[]> LibpqStrings => new()
    {
        { @"host=db port=5433 dbname=app user=u password='a b\'c'", ["db|5433"], "app", "u", "a b'c", None },
        { "host=db dbname=app", ["db|"], "app", null, null, None },
        { "dbname=app", [], "app", null, null, None },
        { "port=5433 dbname=app", ["|5433"], "app", null, null, None },
        { "  host = db   port= 5433\tdbname =app  ", ["db|5433"], "app", null, null, None },
        { "host=db password=''", ["db|"], null, null, "", None },
        { @"host=db password=a\ b", ["db|"], null, null, "a b", None },
        { @"host=db password='a\\b'", ["db|"], null, null, @"a\b", None },
        { "host=db password=pass=word", ["db|"], null, null, "pass=word", None },
        { "host=db password=a+b%20c", ["db|"], null, null, "a+b%20c", None },
        { "host=db user=jürgen password=密码", ["db|"], null, "jürgen", "密码", None },
        { "host=db password=🔑key", ["db|"], null, null, "🔑key", None },
        { "host=db dbname='my db'", ["db|"], "my db", null, null, None },
        { "host=h1,h2 port=5432,5433 dbname=app", ["h1|5432", "h2|5433"], "app", null, null, None },
        { "host=h1,h2 port=6432", ["h1|6432", "h2|6432"], null, null, null, None },
        { "host=::1 port=5433", ["::1|5433"], null, null, null, None },
        { "host=/var/run/postgresql dbname=app", ["/var/run/postgresql|"], "app", null, null, None },
        { "host=db sslmode=verify-full sslrootcert=/etc/ca.pem", ["db|"], null, null, null, ["sslmode=verify-full", "sslrootcert=/etc/ca.pem"] },
        { "host=db sslmode=disable connect_timeout=7", ["db|"], null, null, null, ["connect_timeout=7", "sslmode=disable"] },
        { "host=db options='-c search_path=app'", ["db|"], null, null, null, ["options=-c search_path=app"] },
        { "host=db application_name='my app' fallback_application_name=fb", ["db|"], null, null, null, ["application_name=my app"] },
        { "host=db fallback_application_name=fb", ["db|"], null, null, null, ["application_name=fb"] },
        { "host=db target_session_attrs=read-write", ["db|"], null, null, null, ["target_session_attrs=read-write"] },
        { "host=db keepalives=1 sslcompression=0", ["db|"], null, null, null, ["keepalives=1", "sslcompression=0"] },
    };

    [Theory]
    [MemberData(nameof(LibpqStrings))]
    public void Parses_libpq_keyword_string(string input, string[] hosts, string? database, string? user, string? password, string[] parameters) =>
        AssertParses(input, hosts, database, user, password, parameters);

    /// <summary>input, hosts ("host|port"), database, user, password, parameters.</summary>
    public static TheoryData<string, string[], string?, string?, string?, string[]> NpgsqlStrings => new()
    {
        { "Host=db;Port=5433;Database=app;Username=u;Password=p;SSL Mode=Require", ["db|5433"], "app", "u", "p", ["sslmode=require"] },
        { "Host=db;Port=5433;Database=app;Username=u;Password=p;SSL Mode=Require;", ["db|5433"], "app", "u", "p", ["sslmode=require"] },
        { "host=db;port=5433;database=app;username=u;password=p", ["db|5433"], "app", "u", "p", None },
        { "Server=db;Port=5433;DB=app;User Id=u;Pwd=p", ["db|5433"], "app", "u", "p", None },
        { "Host=db;Port=5433;Password=\"p;w\"", ["db|5433"], null, null, "p;w", None },
        { "Host=db;Port=5433;Password='p=w'", ["db|5433"], null, null, "p=w", None },
        { "Host=db;Port=5433;Password=p@ss:w/rd?#%", ["db|5433"], null, null, "p@ss:w/rd?#%", None },
        { "Host=db;Port=5433;Password=pässwörd", ["db|5433"], null, null, "pässwörd", None },
        { "Host=h1:5432,h2:5433;Database=app", ["h1|5432", "h2|5433"], "app", null, null, None },
        { "Host=h1,h2;Port=6432;Database=app", ["h1|6432", "h2|6432"], "app", null, null, None },
        { "Host=::1;Port=5433", ["::1|5433"], null, null, null, None },
        { "Host=[::1];Port=5433", ["::1|5433"], null, null, null, None },
        { "Host=/var/run/postgresql;Port=5433;Database=app", ["/var/run/postgresql|5433"], "app", null, null, None },
        { "Host=db;Port=5433;SSL Mode=Disable", ["db|5433"], null, null, null, ["sslmode=disable"] },
        { "Host=db;Port=5433;SSL Mode=Allow", ["db|5433"], null, null, null, ["sslmode=allow"] },
        { "Host=db;Port=5433;SSL Mode=VerifyCA", ["db|5433"], null, null, null, ["sslmode=verify-ca"] },
        { "Host=db;Port=5433;SSL Mode=VerifyFull;Root Certificate=/etc/ca.pem", ["db|5433"], null, null, null, ["sslmode=verify-full", "sslrootcert=/etc/ca.pem"] },
        { "Host=db;Port=5433;Timeout=10", ["db|5433"], null, null, null, ["connect_timeout=10"] },
        { "Host=db;Port=5433;Application Name=billing", ["db|5433"], null, null, null, ["application_name=billing"] },
        { "Host=db;Port=5433;Options=-c search_path=app", ["db|5433"], null, null, null, ["options=-c search_path=app"] },
        { "Host=db;Port=5433;Target Session Attributes=read-write", ["db|5433"], null, null, null, ["target_session_attrs=read-write"] },
    };

    [Theory]
    [MemberData(nameof(NpgsqlStrings))]
    public void Parses_npgsql_keyword_string(string input, string[] hosts, string? database, string? user, string? password, string[] parameters) =>
        AssertParses(input, hosts, database, user, password, parameters);

    private static void AssertParses(string input, string[] hosts, string? database, string? user, string? password, string[] parameters)
    {
        var settings = ConnectionStringParser.Parse(input);

        Assert.Equal(hosts, ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal(database, settings.Database);
        Assert.Equal(user, settings.User);
        Assert.Equal(password, settings.Password);
        Assert.Equal(parameters.OrderBy(p => p, StringComparer.Ordinal), ConnectionAssert.Describe(settings.Parameters));
    }

    [Fact]
    public void Npgsql_ipv6_host_with_port_is_unbracketed()
    {
        var settings = ConnectionStringParser.Parse("Host=[::1]:5433;Database=app");
        Assert.Equal(["::1|5433"], ConnectionAssert.Describe(settings.Hosts));
    }

    [Fact]
    public void Npgsql_string_without_port_uses_the_default_port()
    {
        var settings = ConnectionStringParser.Parse("Host=db;Database=app");
        var host = Assert.Single(settings.Hosts);
        Assert.Equal("db", host.Host);
        Assert.True(host.Port is null or 5432);
    }

    [Fact]
    public void Npgsql_default_ssl_mode_is_equivalent_to_libpq_prefer()
    {
        var settings = ConnectionStringParser.Parse("Host=db;SSL Mode=Prefer");
        Assert.True(settings.GetParameter("sslmode") is null or "prefer");
    }

    [Fact]
    public void Single_keyword_parses_the_same_either_way()
    {
        Assert.Equal("db", ConnectionStringParser.Parse("host=db").Hosts[0].Host);
        Assert.Equal("db", ConnectionStringParser.Parse("Host=db").Hosts[0].Host);
    }

    [Fact]
    public void Libpq_quoted_value_keeps_semicolons()
    {
        var settings = ConnectionStringParser.Parse("host=db dbname=app user=u password='p;w'");
        Assert.Equal(["db|"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("app", settings.Database);
        Assert.Equal("u", settings.User);
        Assert.Equal("p;w", settings.Password);
    }

    [Fact]
    public void Libpq_unquoted_value_may_contain_a_semicolon()
    {
        var settings = ConnectionStringParser.Parse("host=db password=p;w");
        Assert.Equal(["db|"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("p;w", settings.Password);
    }

    [Fact]
    public void Libpq_values_are_not_percent_decoded()
    {
        Assert.Equal("%2Ftmp", ConnectionStringParser.Parse("host=%2Ftmp").Hosts[0].Host);
    }

    [Fact]
    public void Later_keywords_override_earlier_ones()
    {
        var settings = ConnectionStringParser.Parse("host=a dbname=one dbname=two sslmode=disable sslmode=require");
        Assert.Equal("two", settings.Database);
        Assert.Equal("require", settings.GetParameter("sslmode"));
    }
}
