using Npgsql;
using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>NpgsqlConnectionStrings.For renders an OmegaDatabase as an Npgsql connection string.</summary>
public sealed class NpgsqlConnectionStringsTests : IDisposable
{
    private readonly FakeEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private NpgsqlConnectionStringBuilder Render(string connectionString, bool pooling = true)
    {
        var database = DatabaseConnector.Create(connectionString, getEnv: _env.Get);
        return new NpgsqlConnectionStringBuilder(NpgsqlConnectionStrings.For(database, pooling));
    }

    [Fact]
    public void Renders_the_core_settings()
    {
        var b = Render("postgresql://app%40corp:p%40ss%3Aw%3Brd@db.example.com:5433/my%20db?sslmode=require");

        Assert.Equal("db.example.com", b.Host);
        Assert.Equal(5433, b.Port);
        Assert.Equal("my db", b.Database);
        Assert.Equal("app@corp", b.Username);
        Assert.Equal("p@ss:w;rd", b.Password);
        Assert.Equal(SslMode.Require, b.SslMode);
        Assert.True(b.Pooling);
    }

    [Fact]
    public void Default_port_is_5432()
    {
        var b = Render("postgresql://u:pw@h/db");
        Assert.Equal("h", b.Host);
        Assert.Equal(5432, b.Port);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Maps_every_sslmode(string sslmode, SslMode expected)
    {
        Assert.Equal(expected, Render($"postgresql://u:pw@h/db?sslmode={sslmode}").SslMode);
    }

    [Fact]
    public void Maps_the_other_libpq_parameters()
    {
        var b = Render("postgresql://u:pw@h/db?connect_timeout=17&application_name=billing%20job&options=-c%20search_path%3Dapp"
            + "&target_session_attrs=read-write&sslrootcert=%2Fca.pem&sslcert=%2Fc.pem&sslkey=%2Fk.pem&sslpassword=kp"
            + "&client_encoding=UTF8&krbsrvname=pg&keepalives_idle=30&keepalives_interval=5&channel_binding=require"
            + "&gssencmode=disable&load_balance_hosts=random&passfile=%2Fpw");

        Assert.Equal(17, b.Timeout);
        Assert.Equal("billing job", b.ApplicationName);
        Assert.Equal("-c search_path=app", b.Options);
        Assert.Equal("read-write", b.TargetSessionAttributes);
        Assert.Equal("/ca.pem", b.RootCertificate);
        Assert.Equal("/c.pem", b.SslCertificate);
        Assert.Equal("/k.pem", b.SslKey);
        Assert.Equal("kp", b.SslPassword);
        Assert.Equal("UTF8", b.ClientEncoding);
        Assert.Equal("pg", b.KerberosServiceName);
        Assert.Equal(30, b.TcpKeepAliveTime);
        Assert.Equal(5, b.TcpKeepAliveInterval);
        Assert.Equal(ChannelBinding.Require, b.ChannelBinding);
        Assert.Equal(GssEncryptionMode.Disable, b.GssEncryptionMode);
        Assert.True(b.LoadBalanceHosts);
        Assert.Equal("/pw", b.Passfile);
    }

    [Theory]
    [InlineData("any")]
    [InlineData("read-write")]
    [InlineData("read-only")]
    [InlineData("primary")]
    [InlineData("standby")]
    [InlineData("prefer-standby")]
    public void Maps_target_session_attrs(string value)
    {
        Assert.Equal(value, Render($"postgresql://u:pw@h1,h2/db?target_session_attrs={value}").TargetSessionAttributes);
    }

    [Fact]
    public void Application_name_defaults_to_OmegaDb()
    {
        Assert.Equal("OmegaDb", Render("postgresql://u:pw@h/db").ApplicationName);
        Assert.Equal("fb", Render("postgresql://u:pw@h/db?fallback_application_name=fb").ApplicationName);
    }

    [Fact]
    public void Pooling_can_be_turned_off()
    {
        Assert.False(Render("postgresql://u:pw@h/db", pooling: false).Pooling);
    }

    [Fact]
    public void No_password_means_no_password_keyword()
    {
        var database = DatabaseConnector.Create("postgresql://u@h/db", getEnv: _env.Get);
        var text = NpgsqlConnectionStrings.For(database);
        Assert.Null(new NpgsqlConnectionStringBuilder(text).Password);
        Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Multiple_hosts_carry_their_own_ports()
    {
        var b = Render("postgresql://u:pw@h1:5432,h2:5433,h3/db");
        Assert.Equal("h1:5432,h2:5433,h3:5432", b.Host);
    }

    [Fact]
    public void Ipv6_hosts_are_rendered_for_npgsql()
    {
        var single = Render("postgresql://u:pw@[::1]:5433/db");
        Assert.Equal("::1", single.Host);
        Assert.Equal(5433, single.Port);

        var multi = Render("postgresql://u:pw@[::1]:5433,[2001:db8::1]/db");
        Assert.Equal("[::1]:5433,[2001:db8::1]:5432", multi.Host);
    }

    [Fact]
    public void Unix_socket_directory_is_the_host()
    {
        var b = Render("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql:5433/db");
        Assert.Equal("/var/run/postgresql", b.Host);
        Assert.Equal(5433, b.Port);
    }

    [Fact]
    public void Ignored_parameters_do_not_reach_npgsql()
    {
        var text = NpgsqlConnectionStrings.For(DatabaseConnector.Create("postgresql://u:pw@h/db?keepalives=1&sslsni=1&sslcompression=0", getEnv: _env.Get));
        Assert.DoesNotContain("keepalives", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sni", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Npgsql_keyword_string_survives_the_trip_through_OmegaDatabase()
    {
        var b = Render("Host=db;Port=5433;Database=app;Username=u;Password=p;SSL Mode=Require;Timeout=9;Application Name=x;Target Session Attributes=primary");

        Assert.Equal("db", b.Host);
        Assert.Equal(5433, b.Port);
        Assert.Equal("app", b.Database);
        Assert.Equal("u", b.Username);
        Assert.Equal("p", b.Password);
        Assert.Equal(SslMode.Require, b.SslMode);
        Assert.Equal(9, b.Timeout);
        Assert.Equal("x", b.ApplicationName);
        Assert.Equal("primary", b.TargetSessionAttributes);
    }

    [Fact]
    public void Libpq_keyword_string_is_rendered()
    {
        var b = Render(@"host=db port=5433 dbname=app user=u password='a b\'c' sslmode=verify-full");
        Assert.Equal("db", b.Host);
        Assert.Equal(5433, b.Port);
        Assert.Equal("app", b.Database);
        Assert.Equal("u", b.Username);
        Assert.Equal("a b'c", b.Password);
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
    }

    [Theory]
    [InlineData("connect_timeout=0")]
    [InlineData("connect_timeout=1024")]
    [InlineData("connect_timeout=30")]
    public void Accepted_connect_timeouts_render(string parameter)
    {
        var database = DatabaseConnector.Create($"postgresql://u:pw@h/db?{parameter}", getEnv: _env.Get);
        _ = new NpgsqlConnectionStringBuilder(NpgsqlConnectionStrings.For(database));
    }

    [Theory]
    [InlineData("connect_timeout=2000")]
    [InlineData("connect_timeout=-1")]
    [InlineData("keepalives_idle=-5")]
    public void Every_value_the_parser_accepts_renders_or_is_rejected_up_front(string parameter)
    {
        OmegaDatabase database;
        try
        {
            database = DatabaseConnector.Create($"postgresql://u:pw@h/db?{parameter}", getEnv: _env.Get);
        }
        catch (OmegaException ex)
        {
            Assert.Equal(ConnectionStringParser.InvalidParameterErrorId, ex.ErrorId);
            return;
        }

        _ = new NpgsqlConnectionStringBuilder(NpgsqlConnectionStrings.For(database));
    }
}
