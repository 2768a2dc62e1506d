using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>
/// postgres:// and postgresql:// URIs as libpq reads them
/// (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS).
/// </summary>
public class ConnectionUriParsingTests
{
    private static readonly string[] None = [];

    /// <summary>
    /// uri, hosts ("host|port", port empty when not given), database, user, password, parameters ("name=value").
    /// </summary>
    public static TheoryData<string, string[], string?, string?, string?, string[]> ValidUris => new()
    {
        // Schemes, case-insensitive.
        { "postgres://u:p@h:5432/db", ["h|5432"], "db", "u", "p", None },
        { "postgresql://u:p@h:5432/db", ["h|5432"], "db", "u", "p", None },
        { "POSTGRESQL://u:p@h/db", ["h|"], "db", "u", "p", None },
        { "Postgres://u:p@h/db", ["h|"], "db", "u", "p", None },
        { "PostgreSQL://u@h/db", ["h|"], "db", "u", null, None },
        { "  postgresql://u@h/db \t", ["h|"], "db", "u", null, None },

        // Partial URIs.
        { "postgresql://", [], null, null, null, None },
        { "postgresql://h", ["h|"], null, null, null, None },
        { "postgresql://h/", ["h|"], null, null, null, None },
        { "postgresql://h:6543", ["h|6543"], null, null, null, None },
        { "postgresql:///db", [], "db", null, null, None },
        { "postgresql://u@/db", [], "db", "u", null, None },
        { "postgresql://u:p@/db", [], "db", "u", "p", None },
        { "postgresql://:5433/db", ["|5433"], "db", null, null, None },
        { "postgresql://db.example.com/app", ["db.example.com|"], "app", null, null, None },
        { "postgresql://10.0.0.5:5433/app", ["10.0.0.5|5433"], "app", null, null, None },
        { "postgresql://u:@h/db", ["h|"], "db", "u", "", None },

        // Passwords with percent-encoded reserved characters.
        { "postgresql://u:p%40ss@h/db", ["h|"], "db", "u", "p@ss", None },
        { "postgresql://u:p%3Ass@h/db", ["h|"], "db", "u", "p:ss", None },
        { "postgresql://u:p%3ass@h/db", ["h|"], "db", "u", "p:ss", None },
        { "postgresql://u:p%2Fss@h/db", ["h|"], "db", "u", "p/ss", None },
        { "postgresql://u:p%3Fss@h/db", ["h|"], "db", "u", "p?ss", None },
        { "postgresql://u:p%23ss@h/db", ["h|"], "db", "u", "p#ss", None },
        { "postgresql://u:p%25ss@h/db", ["h|"], "db", "u", "p%ss", None },
        { "postgresql://u:pct100%25x@h/db", ["h|"], "db", "u", "pct100%x", None },
        { "postgresql://u:%40%3A%2F%3F%23%25@h/db", ["h|"], "db", "u", "@:/?#%", None },
        { "postgresql://u:p%26s%3Ds@h/db?sslmode=require", ["h|"], "db", "u", "p&s=s", ["sslmode=require"] },
        { "postgresql://u:p%20s%20s@h/db", ["h|"], "db", "u", "p s s", None },
        { "postgresql://u:%20lead-trail%20@h/db", ["h|"], "db", "u", " lead-trail ", None },

        // '+' is a literal plus in libpq URIs, never a space.
        { "postgresql://u:p+ss@h/db", ["h|"], "db", "u", "p+ss", None },
        { "postgresql://u:p%2Bss@h/db", ["h|"], "db", "u", "p+ss", None },
        { "postgresql://u:a+b%20c@h/db", ["h|"], "db", "u", "a+b c", None },

        // Non-ASCII passwords, percent-encoded UTF-8 and raw.
        { "postgresql://u:p%C3%A4ssw%C3%B6rd@h/db", ["h|"], "db", "u", "pässwörd", None },
        { "postgresql://u:pässwörd@h/db", ["h|"], "db", "u", "pässwörd", None },
        { "postgresql://u:%E5%AF%86%E7%A0%81@h/db", ["h|"], "db", "u", "密码", None },
        { "postgresql://u:密码@h/db", ["h|"], "db", "u", "密码", None },
        { "postgresql://u:%F0%9F%94%91key@h/db", ["h|"], "db", "u", "🔑key", None },
        { "postgresql://u:🔑key@h/db", ["h|"], "db", "u", "🔑key", None },

        // Percent-encoded user names.
        { "postgresql://app%40corp@h/db", ["h|"], "db", "app@corp", null, None },
        { "postgresql://app%40corp:pw@h/db", ["h|"], "db", "app@corp", "pw", None },
        { "postgresql://app%3Aadmin:pw@h/db", ["h|"], "db", "app:admin", "pw", None },
        { "postgresql://j%C3%BCrgen:pw@h/db", ["h|"], "db", "jürgen", "pw", None },
        { "postgresql://first%20last@h/db", ["h|"], "db", "first last", null, None },

        // Percent-encoded database names.
        { "postgresql://h/my%20db", ["h|"], "my db", null, null, None },
        { "postgresql://h/a%2Fb", ["h|"], "a/b", null, null, None },
        { "postgresql://h/caf%C3%A9", ["h|"], "café", null, null, None },

        // IPv6 hosts.
        { "postgresql://u:p@[::1]/db", ["::1|"], "db", "u", "p", None },
        { "postgresql://u:p@[::1]:5433/db", ["::1|5433"], "db", "u", "p", None },
        { "postgresql://[2001:db8::1]:6432/db", ["2001:db8::1|6432"], "db", null, null, None },
        { "postgresql://[2001:db8::1]", ["2001:db8::1|"], null, null, null, None },

        // Multiple hosts.
        { "postgresql://u:p@h1:5432,h2:5433/db", ["h1|5432", "h2|5433"], "db", "u", "p", None },
        { "postgresql://h1,h2:5433/db", ["h1|", "h2|5433"], "db", null, null, None },
        { "postgresql://h1,h2,h3/db", ["h1|", "h2|", "h3|"], "db", null, null, None },
        { "postgresql://[::1]:5432,h2,[2001:db8::1]:6432/db", ["::1|5432", "h2|", "2001:db8::1|6432"], "db", null, null, None },

        // Unix-socket directories.
        { "postgresql://%2Fvar%2Frun%2Fpostgresql/db", ["/var/run/postgresql|"], "db", null, null, None },
        { "postgresql://u:p@%2Fvar%2Frun%2Fpostgresql/db", ["/var/run/postgresql|"], "db", "u", "p", None },
        { "postgresql://%2ftmp:5433/db", ["/tmp|5433"], "db", null, null, None },
        { "postgresql:///db?host=/var/run/postgresql", ["/var/run/postgresql|"], "db", null, null, None },
        { "postgresql:///db?host=%2Fvar%2Frun%2Fpostgresql", ["/var/run/postgresql|"], "db", null, null, None },

        // sslmode, all six values.
        { "postgresql://h/db?sslmode=disable", ["h|"], "db", null, null, ["sslmode=disable"] },
        { "postgresql://h/db?sslmode=allow", ["h|"], "db", null, null, ["sslmode=allow"] },
        { "postgresql://h/db?sslmode=prefer", ["h|"], "db", null, null, ["sslmode=prefer"] },
        { "postgresql://h/db?sslmode=require", ["h|"], "db", null, null, ["sslmode=require"] },
        { "postgresql://h/db?sslmode=verify-ca", ["h|"], "db", null, null, ["sslmode=verify-ca"] },
        { "postgresql://h/db?sslmode=verify-full", ["h|"], "db", null, null, ["sslmode=verify-full"] },

        // Other query parameters.
        { "postgresql://h/db?connect_timeout=10", ["h|"], "db", null, null, ["connect_timeout=10"] },
        { "postgresql://h/db?connect_timeout=0", ["h|"], "db", null, null, ["connect_timeout=0"] },
        { "postgresql://h/db?application_name=billing", ["h|"], "db", null, null, ["application_name=billing"] },
        { "postgresql://h/db?application_name=my%20app", ["h|"], "db", null, null, ["application_name=my app"] },
        { "postgresql://h/db?application_name=a+b", ["h|"], "db", null, null, ["application_name=a+b"] },
        { "postgresql://h/db?options=-c%20search_path%3Dapp", ["h|"], "db", null, null, ["options=-c search_path=app"] },
        { "postgresql://h/db?options=-c%20statement_timeout%3D5min%20-c%20lock_timeout%3D1s", ["h|"], "db", null, null, ["options=-c statement_timeout=5min -c lock_timeout=1s"] },
        { "postgresql://h/db?target_session_attrs=any", ["h|"], "db", null, null, ["target_session_attrs=any"] },
        { "postgresql://h1,h2/db?target_session_attrs=read-write", ["h1|", "h2|"], "db", null, null, ["target_session_attrs=read-write"] },
        { "postgresql://h1,h2/db?target_session_attrs=read-only", ["h1|", "h2|"], "db", null, null, ["target_session_attrs=read-only"] },
        { "postgresql://h1,h2/db?target_session_attrs=primary", ["h1|", "h2|"], "db", null, null, ["target_session_attrs=primary"] },
        { "postgresql://h1,h2/db?target_session_attrs=standby", ["h1|", "h2|"], "db", null, null, ["target_session_attrs=standby"] },
        { "postgresql://h1,h2/db?target_session_attrs=prefer-standby", ["h1|", "h2|"], "db", null, null, ["target_session_attrs=prefer-standby"] },
        { "postgresql://h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem", ["h|"], "db", null, null, ["sslmode=verify-full", "sslrootcert=/etc/ca.pem"] },
        { "postgresql://h/db?sslmode=require&connect_timeout=5&application_name=x", ["h|"], "db", null, null, ["application_name=x", "connect_timeout=5", "sslmode=require"] },
        { "postgresql://h/db?&sslmode=require&&connect_timeout=5&", ["h|"], "db", null, null, ["connect_timeout=5", "sslmode=require"] },
        { "postgresql://h/db?", ["h|"], "db", null, null, None },
        { "postgresql://h/db?client_encoding=UTF8", ["h|"], "db", null, null, ["client_encoding=UTF8"] },
        { "postgresql://h/db?channel_binding=require", ["h|"], "db", null, null, ["channel_binding=require"] },
        { "postgresql://h/db?gssencmode=disable", ["h|"], "db", null, null, ["gssencmode=disable"] },
        { "postgresql://h/db?sslpassword=k%40y", ["h|"], "db", null, null, ["sslpassword=k@y"] },

        // host= and port= in the query override or complete the authority.
        { "postgresql://u@h1/db?host=h2", ["h2|"], "db", "u", null, None },
        { "postgresql:///db?host=h&port=6432", ["h|6432"], "db", null, null, None },
        { "postgresql://h/db?port=5433", ["h|5433"], "db", null, null, None },
        { "postgresql://h:5432/db?port=6543", ["h|6543"], "db", null, null, None },
        { "postgresql:///db?host=h1,h2&port=5432,5433", ["h1|5432", "h2|5433"], "db", null, null, None },
        { "postgresql://h1,h2/db?port=6432", ["h1|6432", "h2|6432"], "db", null, null, None },
        { "postgresql://h/db?dbname=other", ["h|"], "other", null, null, None },
        { "postgresql://h/db?user=alice&password=s%26cret", ["h|"], "db", "alice", "s&cret", None },

        // fallback_application_name applies only when application_name is absent, and is not kept.
        { "postgresql://h/db?fallback_application_name=fb", ["h|"], "db", null, null, ["application_name=fb"] },
        { "postgresql://h/db?application_name=app&fallback_application_name=fb", ["h|"], "db", null, null, ["application_name=app"] },
        { "postgresql://h/db?fallback_application_name=fb&application_name=app", ["h|"], "db", null, null, ["application_name=app"] },
    };

    [Theory]
    [MemberData(nameof(ValidUris))]
    public void Parses_valid_uri(string uri, string[] hosts, string? database, string? user, string? password, string[] parameters)
    {
        var settings = ConnectionStringParser.Parse(uri);

        Assert.Equal(hosts, ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal(database, settings.Database);
        Assert.Equal(user, settings.User);
        Assert.Equal(password, settings.Password);
        Assert.Equal(parameters.OrderBy(p => p, StringComparer.Ordinal), ConnectionAssert.Describe(settings.Parameters));
    }

    [Theory]
    [MemberData(nameof(ValidUris))]
    public void Parsing_is_deterministic_and_the_uri_round_trips_through_omega_database(
        string uri, string[] hosts, string? database, string? user, string? password, string[] parameters)
    {
        _ = (hosts, database, user, password, parameters);
        var first = ConnectionStringParser.Parse(uri);
        var second = ConnectionStringParser.Parse(uri);
        ConnectionAssert.Equivalent(first, second);

        // Complete the settings as the resolver does (host, user and password given), then
        // check that the full URI parses back to the same settings.
        using var env = new FakeEnvironment();
        var database1 = DatabaseConnector.Create(uri, user: user ?? "tester", password: password ?? "pw-for-round-trip", getEnv: env.Get);
        var reparsed = ConnectionStringParser.Parse(database1.GetConnectionUri());
        ConnectionAssert.Equivalent(database1.Settings, reparsed);
    }

    [Fact]
    public void Plus_in_password_is_not_a_space()
    {
        var settings = ConnectionStringParser.Parse("postgresql://u:a+b@h/db");
        Assert.Equal("a+b", settings.Password);
        Assert.DoesNotContain(' ', settings.Password!);
    }

    [Fact]
    public void Userinfo_ends_at_the_first_at_sign_before_the_path()
    {
        // An '@' after the first '/' belongs to the database name, as in libpq.
        var settings = ConnectionStringParser.Parse("postgresql://u:p@h/db%40x");
        Assert.Equal("db@x", settings.Database);
        Assert.Equal("u", settings.User);
        Assert.Equal("p", settings.Password);
    }

    [Fact]
    public void Missing_user_and_password_stay_unset_so_defaults_and_environment_can_fill_them()
    {
        var settings = ConnectionStringParser.Parse("postgresql://h/db");
        Assert.Null(settings.User);
        Assert.Null(settings.Password);
        Assert.Empty(settings.Parameters);
    }

    [Fact]
    public void Empty_user_before_colon_is_unset_but_password_is_kept()
    {
        var settings = ConnectionStringParser.Parse("postgresql://:secret@h/db");
        Assert.Null(settings.User);
        Assert.Equal("secret", settings.Password);
    }

    [Fact]
    public void Unix_socket_hosts_are_reported_as_such()
    {
        var settings = ConnectionStringParser.Parse("postgresql://%2Fvar%2Frun%2Fpostgresql:5433/db");
        var host = Assert.Single(settings.Hosts);
        Assert.True(host.IsUnixSocket);
        Assert.Equal(5433, host.Port);
        Assert.False(ConnectionStringParser.Parse("postgresql://localhost/db").Hosts[0].IsUnixSocket);
    }

    [Fact]
    public void Later_query_parameters_override_earlier_ones()
    {
        var settings = ConnectionStringParser.Parse("postgresql://h/db?sslmode=disable&sslmode=verify-full");
        Assert.Equal("verify-full", settings.GetParameter("sslmode"));
    }

    [Fact]
    public void Ignored_libpq_parameters_are_accepted()
    {
        var settings = ConnectionStringParser.Parse("postgresql://h/db?keepalives=1&sslcompression=0&sslsni=1");
        Assert.Equal(["h|"], ConnectionAssert.Describe(settings.Hosts));
        Assert.Equal("db", settings.Database);
    }

    [Theory]
    [InlineData("postgresql://u:%40\U0001F511@h/db", "@\U0001F511")]
    [InlineData("postgresql://u:\U0001F600%20smile@h/db", "\U0001F600 smile")]
    [InlineData("postgresql://u:%F0%9F%94%91\U0001F511@h/db", "\U0001F511\U0001F511")]
    public void Raw_non_bmp_characters_survive_beside_percent_escapes(string uri, string password)
    {
        Assert.Equal(password, ConnectionStringParser.Parse(uri).Password);
    }

    [Fact]
    public void Raw_bmp_characters_survive_beside_percent_escapes()
    {
        Assert.Equal("pä@ss密", ConnectionStringParser.Parse("postgresql://u:pä%40ss密@h/db").Password);
    }

    [Fact]
    public void Ipv6_zone_id_is_percent_decoded()
    {
        var settings = ConnectionStringParser.Parse("postgresql://[fe80::1%25eth0]:5432/db");
        Assert.Equal(["fe80::1%eth0|5432"], ConnectionAssert.Describe(settings.Hosts));
    }

    [Fact]
    public void Parse_rejects_null()
    {
        Assert.Throws<ArgumentNullException>(() => ConnectionStringParser.Parse(null!));
    }
}
