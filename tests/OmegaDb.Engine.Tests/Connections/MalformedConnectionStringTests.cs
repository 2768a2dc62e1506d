using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>
/// Every malformed input fails with a stable error id, as an InvalidArgument error, and the
/// message never repeats the password (or other secret) that was in the input.
/// </summary>
public class MalformedConnectionStringTests
{
    private const string Uri = ConnectionStringParser.InvalidUriErrorId;
    private const string Keywords = ConnectionStringParser.InvalidConnectionStringErrorId;
    private const string Scheme = ConnectionStringParser.UnsupportedSchemeErrorId;
    private const string Parameter = ConnectionStringParser.InvalidParameterErrorId;

    /// <summary>input, expected error id, a secret from the input the message must not contain.</summary>
    public static TheoryData<string, string, string> MalformedInputs => new()
    {
        // Not PostgreSQL schemes.
        { "mysql://u:Secr3tPw@h/db", Scheme, "Secr3tPw" },
        { "http://u:Secr3tPw@h:5432/db", Scheme, "Secr3tPw" },
        { "https://u:Secr3tPw@h/db", Scheme, "Secr3tPw" },
        { "postgresq://u:Secr3tPw@h/db", Scheme, "Secr3tPw" },
        { "pg://u:Secr3tPw@h/db", Scheme, "Secr3tPw" },
        { "jdbc:postgresql://h/db?user=u&password=Secr3tPw", Scheme, "Secr3tPw" },

        // Bad percent-encoding, in each part of the URI.
        { "postgresql://u:Secr3t%zzPw@h/db", Uri, "Secr3t%zzPw" },
        { "postgresql://u:Secr3tPw%@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw%4@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw%4G@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:%Secr3tPw@h/db", Uri, "Secr3tPw" },
        { "postgresql://u%zz:Secr3tPw@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h%zz/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/d%zzb", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db%", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?application_name=%zz", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?ssl%mode=require", Uri, "Secr3tPw" },

        // Invalid UTF-8 once decoded.
        { "postgresql://u:Secr3tPw%ff@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw%C3@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw%C3%28@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw%ED%A0%80@h/db", Uri, "Secr3tPw" },
        { "postgresql://u%ff:Secr3tPw@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db%fe", Uri, "Secr3tPw" },

        // Ports.
        { "postgresql://u:Secr3tPw@h:abc/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h:0/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h:70000/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h:65536/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h:-1/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h:99999999999/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h:5432x/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@[::1]:abc/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?port=abc", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?port=0", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?port=5432,5433", Uri, "Secr3tPw" },

        // IPv6.
        { "postgresql://u:Secr3tPw@[::1/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@[::1", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@[]/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@[]:5432/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@[::1]x/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@::1/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@2001:db8::1:5432/db", Uri, "Secr3tPw" },

        // Unencoded special characters in the password.
        { "postgresql://u:Secr3t@Pw@h/db", Uri, "Secr3t@Pw" },
        { "postgresql://u:Secr3tPw@ss@h/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3t/Pw@h/db", Uri, "Secr3t/Pw" },
        { "postgresql://u:Secr3t?Pw@h/db", Uri, "Secr3t?Pw" },

        // Paths and host lists.
        { "postgresql://u:Secr3tPw@h/db/extra", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db/", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h1,,h2/db", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h1,/db", Uri, "Secr3tPw" },

        // Query parameters.
        { "postgresql://u:Secr3tPw@h/db?foo=bar", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?SSLMODE=require", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?sslmode", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?sslmode=require&connect_timeout", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?=require", Uri, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?sslmode=required", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?sslmode=REQUIRE", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?sslmode=", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?connect_timeout=ten", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?connect_timeout=1.5", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?target_session_attrs=master", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?channel_binding=maybe", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?hostaddr=10.0.0.1", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?sslcrl=/etc/crl.pem", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?service=prod", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?require_auth=scram-sha-256", Parameter, "Secr3tPw" },
        { "postgresql://u:Secr3tPw@h/db?sslpassword=KeyPa55&sslmode=bogus", Parameter, "KeyPa55" },

        // Not a connection string at all.
        { "", Keywords, "" },
        { " ", Keywords, "" },
        { " \t\r\n ", Keywords, "" },
        { "mydb", Keywords, "" },
        { "db.example.com:5432", Keywords, "" },
        { "u:Secr3tPw@db.example.com/app", Keywords, "Secr3tPw" },

        // libpq keyword strings.
        { "host=db password='Secr3tPw\\'", Keywords, "Secr3tPw" },
        { "host=db password=Secr3tPw hostaddr=10.0.0.1", Parameter, "Secr3tPw" },
        { "host=db password=Secr3tPw sslcrl=/etc/crl.pem", Parameter, "Secr3tPw" },
        { "host=db password=Secr3tPw sslmode=on", Parameter, "Secr3tPw" },
        { "host=db password=Secr3tPw connect_timeout=soon", Parameter, "Secr3tPw" },

        // Npgsql keyword strings.
        { "Host=db;Frobnicate=1;Password=Secr3tPw", Keywords, "Secr3tPw" },
        { "Host=db;Password=Secr3tPw;Pasword=x", Keywords, "Secr3tPw" },
        { "Host=db;Port=abc;Password=Secr3tPw", Keywords, "Secr3tPw" },
        { "Host=db;SSL Mode=Sometimes;Password=Secr3tPw", Keywords, "Secr3tPw" },
        { "Host=db;Password=Secr3tPw;Oops", Keywords, "Secr3tPw" },
    };

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Rejects_malformed_input_with_a_stable_error_id(string input, string errorId, string secret)
    {
        ConnectionAssert.ParseFails(input, errorId, secret);
    }

    [Fact]
    public void Error_does_not_quote_an_unknown_parameter_or_its_value()
    {
        var ex = ConnectionAssert.ParseFails("postgresql://u@h/db?foo=Secr3tValue", ConnectionStringParser.InvalidUriErrorId);
        Assert.DoesNotContain("Secr3tValue", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("foo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_near_miss_of_a_parameter_name_is_named_with_a_suggestion()
    {
        var ex = ConnectionAssert.ParseFails("postgresql://u@h/db?sslmdoe=require", ConnectionStringParser.InvalidUriErrorId);
        Assert.Contains("'sslmdoe'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'sslmode'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    // A password with a space or ';' that was not quoted splits into tokens that look like keywords.
    [InlineData("Host=db;Password=Secr3t;Pw9x=x", "Pw9x")]
    [InlineData("host=db password=Secr3t Pw9x=x", "Pw9x")]
    public void A_password_fragment_that_looks_like_a_keyword_is_not_quoted(string text, string fragment)
    {
        var ex = ConnectionAssert.ParseFails(text, ConnectionStringParser.InvalidConnectionStringErrorId);
        Assert.DoesNotContain(fragment, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Secr3t", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Percent_encoding_error_names_the_part_not_the_value()
    {
        var ex = ConnectionAssert.ParseFails("postgresql://u:Secr3t%zz@h/db", ConnectionStringParser.InvalidUriErrorId, "Secr3t");
        Assert.Contains("password", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_scheme_error_names_the_scheme()
    {
        var ex = ConnectionAssert.ParseFails("mysql://u:Secr3tPw@h/db", ConnectionStringParser.UnsupportedSchemeErrorId, "Secr3tPw");
        Assert.Contains("mysql", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Malformed libpq keyword strings. They currently fall back to the Npgsql parser, which reads
    /// everything after "host=" as the host name, so the parse succeeds and the password ends up in
    /// the host (and from there in OmegaDatabase.Name and ToString()).
    /// </summary>
    public static TheoryData<string, string, string> MalformedLibpqStrings => new()
    {
        { "host=db password='Secr3tPw", Keywords, "Secr3tPw" },
        { "host=db port=5433 dbname=app user=u password='Secr3t Pw", Keywords, "Secr3t" },
        { "host=db password=Secr3tPw dbname", Keywords, "Secr3tPw" },
        { "host=db password=Secr3tPw foo=bar", Keywords, "Secr3tPw" },
        { "host=db port=5432 user=u password=Secr3tPw dbname=app typo=1", Keywords, "Secr3tPw" },
    };

    [Theory]
    [MemberData(nameof(MalformedLibpqStrings))]
    public void Rejects_malformed_libpq_keyword_string(string input, string errorId, string secret)
    {
        ConnectionAssert.ParseFails(input, errorId, secret);
    }

    [Theory]
    [InlineData("postgresql://[")]
    [InlineData("postgresql://]")]
    [InlineData("postgresql://@")]
    [InlineData("postgresql://:")]
    [InlineData("postgresql://:@:/?")]
    [InlineData("postgresql://?=")]
    [InlineData("postgresql://h/db?&=&")]
    [InlineData("postgresql://%")]
    [InlineData("postgresql://h:/db")]
    [InlineData("postgresql://h,/db")]
    [InlineData("=")]
    [InlineData("==")]
    [InlineData("=b")]
    [InlineData(";")]
    [InlineData(";;=;")]
    [InlineData("'")]
    [InlineData("host='")]
    [InlineData("Host=\"unterminated")]
    [InlineData("a=")]
    [InlineData("Host=db;Password=Secr3tPw;Foo=")]
    public void Odd_input_either_parses_or_fails_with_an_omega_exception(string input)
    {
        try
        {
            ConnectionStringParser.Parse(input);
        }
        catch (OmegaException ex)
        {
            Assert.Equal(OmegaErrorCategory.InvalidArgument, ex.Category);
        }
    }

    [Fact]
    public void Bad_port_in_a_keyword_string_is_not_reported_as_a_uri_error()
    {
        var ex = Assert.Throws<OmegaException>(() => ConnectionStringParser.Parse("host=db port=abc password=Secr3tPw"));
        Assert.Equal(OmegaErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains(ex.ErrorId, new[] { ConnectionStringParser.InvalidConnectionStringErrorId, ConnectionStringParser.InvalidParameterErrorId });
        Assert.DoesNotContain("Secr3tPw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_port_in_a_keyword_string_is_an_argument_error_without_the_password()
    {
        var ex = Assert.Throws<OmegaException>(() => ConnectionStringParser.Parse("host=db port=abc password=Secr3tPw"));
        Assert.Equal(OmegaErrorCategory.InvalidArgument, ex.Category);
        Assert.DoesNotContain("Secr3tPw", ex.Message, StringComparison.Ordinal);
    }
}
