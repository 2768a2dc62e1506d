using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Npgsql;

namespace OmegaDb.Connections;

/// <summary>
/// Turns what users paste into a <see cref="ConnectionSettings"/>: a <c>postgres://</c> or
/// <c>postgresql://</c> URI as libpq reads it, a libpq keyword/value string
/// (<c>host=db port=5432</c>), or an Npgsql keyword string (<c>Host=db;Port=5432</c>).
/// Errors never quote the input, which may hold a password.
/// </summary>
public static class ConnectionStringParser
{
    public const string InvalidUriErrorId = "OmegaDb.InvalidConnectionUri";
    public const string InvalidConnectionStringErrorId = "OmegaDb.InvalidConnectionString";
    public const string UnsupportedSchemeErrorId = "OmegaDb.UnsupportedConnectionScheme";
    public const string InvalidParameterErrorId = "OmegaDb.InvalidConnectionParameter";

    private static readonly string[] Schemes = ["postgresql://", "postgres://"];

    public static ConnectionSettings Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw Invalid(InvalidConnectionStringErrorId, "The connection string is empty. Pass a postgres:// URI or a keyword string, or omit it to use DATABASE_URL and the PG* variables.");
        }

        if (Schemes.Any(s => trimmed.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return ParseUri(trimmed);
        }

        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && !trimmed[..schemeEnd].Contains('='))
        {
            var scheme = trimmed[..schemeEnd];
            var shown = System.Text.RegularExpressions.Regex.IsMatch(scheme, "^[A-Za-z][A-Za-z0-9+.-]{0,20}$") ? $"'{scheme}://'" : "The text before '://'";
            throw Invalid(UnsupportedSchemeErrorId, $"{shown} is not a PostgreSQL connection URI scheme. Use postgresql://user@host:port/database.");
        }

        if (!trimmed.Contains('='))
        {
            throw Invalid(InvalidConnectionStringErrorId, "The connection string is neither a postgres:// URI nor a keyword string (such as 'host=db.example.com dbname=app' or 'Host=db.example.com;Database=app').");
        }

        return IsNpgsqlKeywordString(trimmed) ? ParseNpgsqlKeywords(trimmed) : ParseLibpqKeywords(trimmed);
    }

    private static ConnectionSettings ParseUri(string uri)
    {
        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string? query = null;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        // The user info ends at the first '@' before the path, as in libpq.
        string? user = null, password = null;
        var slash = rest.IndexOf('/');
        var authorityEnd = slash < 0 ? rest.Length : slash;
        var at = rest.IndexOf('@', 0, authorityEnd);
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var colon = userInfo.IndexOf(':');
            user = Decode(colon < 0 ? userInfo : userInfo[..colon], "user name");
            password = colon < 0 ? null : Decode(userInfo[(colon + 1)..], "password");
            rest = rest[(at + 1)..];
            authorityEnd -= at + 1;
        }

        var hostSpec = rest[..authorityEnd];
        var path = authorityEnd < rest.Length ? rest[(authorityEnd + 1)..] : string.Empty;
        if (path.Contains('/'))
        {
            throw Invalid(InvalidUriErrorId, "The database name in the URI contains '/'. Percent-encode it as %2F, or check that the password's special characters are percent-encoded.");
        }

        var settings = new ConnectionSettings
        {
            Hosts = ParseHostSpec(hostSpec),
            Database = path.Length == 0 ? null : Decode(path, "database name"),
            User = string.IsNullOrEmpty(user) ? null : user,
            Password = password,
        };

        return query is null ? settings : ApplyQuery(settings, query);
    }

    private static ImmutableArray<HostEndpoint> ParseHostSpec(string hostSpec)
    {
        if (hostSpec.Length == 0)
        {
            return [];
        }

        var hosts = ImmutableArray.CreateBuilder<HostEndpoint>();
        foreach (var part in hostSpec.Split(','))
        {
            string host;
            string? port = null;
            if (part.StartsWith('['))
            {
                var close = part.IndexOf(']');
                if (close < 0)
                {
                    throw Invalid(InvalidUriErrorId, "An IPv6 host in the URI is missing its closing ']'. Write it as [::1] or [2001:db8::1]:5432.");
                }

                host = Decode(part[1..close], "host");
                if (host.Length == 0)
                {
                    throw Invalid(InvalidUriErrorId, "The IPv6 host between '[' and ']' is empty.");
                }

                var after = part[(close + 1)..];
                if (after.Length > 0)
                {
                    if (after[0] != ':')
                    {
                        throw Invalid(InvalidUriErrorId, "Unexpected characters after an IPv6 host's ']'. Only ':port' may follow it.");
                    }

                    port = after[1..];
                }
            }
            else
            {
                var colon = part.LastIndexOf(':');
                host = colon < 0 ? part : part[..colon];
                port = colon < 0 ? null : part[(colon + 1)..];
                if (host.Contains(':'))
                {
                    throw Invalid(InvalidUriErrorId, "A host in the URI contains ':'. Put IPv6 addresses in brackets, like [::1].");
                }

                host = Decode(host, "host");
            }

            if (host.Contains('@'))
            {
                throw Invalid(InvalidUriErrorId, "A host in the URI contains '@'. Percent-encode '@' in the user name or password as %40.");
            }

            if (host.Length == 0 && hostSpec.Contains(','))
            {
                throw Invalid(InvalidUriErrorId, "One of the hosts in the URI's host list is empty.");
            }

            hosts.Add(new HostEndpoint(host, port is null ? null : ParsePort(port, InvalidUriErrorId)));
        }

        return hosts.Count == 1 && hosts[0].Host.Length == 0 && hosts[0].Port is null ? [] : hosts.ToImmutable();
    }

    private static ConnectionSettings ApplyQuery(ConnectionSettings settings, string query)
    {
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw Invalid(InvalidUriErrorId, "A URI query parameter is not of the form name=value.");
            }

            var name = Decode(pair[..eq], "query parameter name");
            var value = Decode(pair[(eq + 1)..], $"value of '{name}'");
            settings = ApplyParameter(settings, name, value, InvalidUriErrorId);
        }

        return ApplyFallbackApplicationName(settings);
    }

    /// <summary>Sets one libpq parameter, including the core ones kept in dedicated fields.</summary>
    internal static ConnectionSettings ApplyParameter(ConnectionSettings settings, string name, string value, string errorId)
    {
        if (!LibpqParameters.IsKnown(name))
        {
            // The name is quoted only when it is a near miss of a real one: an arbitrary token
            // could be a fragment of a password that slipped out of its quotes.
            var suggestion = LibpqParameters.NearMiss(name);
            throw Invalid(errorId, suggestion is null
                ? "The connection string holds a name that is not a PostgreSQL connection parameter. Check the spelling of each keyword, and that values with spaces are quoted."
                : $"'{name}' is not a PostgreSQL connection parameter; did you mean '{suggestion}'?");
        }

        switch (name)
        {
            case "host":
                return settings with { Hosts = SplitHostList(value, settings.Hosts) };
            case "port":
                var ports = value.Split(',').Select(p => ParsePort(p, errorId)).ToArray();
                var hosts = settings.Hosts.IsEmpty ? [new HostEndpoint(string.Empty, null)] : settings.Hosts;
                if (ports.Length != 1 && ports.Length != hosts.Length)
                {
                    throw Invalid(errorId, $"'port' lists {ports.Length} ports for {hosts.Length} hosts; give one port, or one per host.");
                }

                return settings with { Hosts = hosts.Select((h, i) => h with { Port = ports[ports.Length == 1 ? 0 : i] }).ToImmutableArray() };
            case "dbname":
                return settings with { Database = value.Length == 0 ? null : value };
            case "user":
                return settings with { User = value.Length == 0 ? null : value };
            case "password":
                return settings with { Password = value };
        }

        var problem = LibpqParameters.Validate(name, value);
        if (problem is not null)
        {
            throw Invalid(InvalidParameterErrorId, problem);
        }

        return settings.WithParameter(name, value);
    }

    private static ImmutableArray<HostEndpoint> SplitHostList(string value, ImmutableArray<HostEndpoint> existing)
    {
        var names = value.Split(',');
        return names.Select((n, i) => new HostEndpoint(n, i < existing.Length ? existing[i].Port : existing.Length == 1 ? existing[0].Port : null)).ToImmutableArray();
    }

    private static ConnectionSettings ApplyFallbackApplicationName(ConnectionSettings settings)
    {
        var fallback = settings.GetParameter("fallback_application_name");
        if (fallback is null)
        {
            return settings;
        }

        settings = settings.WithParameter("fallback_application_name", null);
        return settings.GetParameter("application_name") is null ? settings.WithParameter("application_name", fallback) : settings;
    }

    /// <summary>
    /// Npgsql strings separate pairs with ';', libpq strings with spaces, and a libpq value
    /// may itself hold a ';' (a password). Two or more libpq pairs with libpq names make a
    /// libpq string; a single pair (Host=db) or a string with ';' is Npgsql's; anything else
    /// is read as libpq so that it fails with libpq's errors: a malformed libpq string must
    /// not be reinterpreted into a host name that carries the password.
    /// </summary>
    private static bool IsNpgsqlKeywordString(string text)
    {
        List<KeyValuePair<string, string>> pairs;
        try
        {
            pairs = TokenizeLibpq(text);
        }
        catch (OmegaException)
        {
            return text.Contains(';');
        }

        if (pairs.Count >= 2 && pairs.All(p => LibpqParameters.IsKnown(p.Key)))
        {
            return false;
        }

        return pairs.Count == 1 ? !LibpqParameters.IsKnown(pairs[0].Key) || text.Contains(';') : text.Contains(';');
    }

    private static ConnectionSettings ParseLibpqKeywords(string text)
    {
        var settings = new ConnectionSettings { Hosts = [] };
        foreach (var (key, value) in TokenizeLibpq(text))
        {
            settings = ApplyParameter(settings, key, value, InvalidConnectionStringErrorId);
        }

        return ApplyFallbackApplicationName(settings);
    }

    /// <summary>libpq's conninfo syntax: key = value, values optionally single-quoted with \ escapes.</summary>
    private static List<KeyValuePair<string, string>> TokenizeLibpq(string text)
    {
        var result = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;
            var keyStart = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i])) i++;
            var key = text[keyStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length || text[i] != '=')
            {
                throw Invalid(InvalidConnectionStringErrorId, "A keyword in the connection string is missing its '=' and value.");
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var c = text[i++];
                    if (c == '\\' && i < text.Length) { value.Append(text[i++]); continue; }
                    if (c == '\'') { closed = true; break; }
                    value.Append(c);
                }

                if (!closed)
                {
                    throw Invalid(InvalidConnectionStringErrorId, "A quoted value in the connection string is missing its closing quote.");
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    var c = text[i++];
                    if (c == '\\' && i < text.Length) { value.Append(text[i++]); continue; }
                    value.Append(c);
                }
            }

            result.Add(new(key, value.ToString()));
        }

        return result;
    }

    private static ConnectionSettings ParseNpgsqlKeywords(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException)
        {
            // Npgsql's message quotes the offending keyword, which could be a password fragment.
            throw Invalid(InvalidConnectionStringErrorId, "The keyword connection string could not be read: a keyword is unknown to Npgsql or a value has the wrong form. Check each Key=Value pair (for example Host, Port, Database, Username, Password, SSL Mode).");
        }

        var settings = new ConnectionSettings
        {
            Hosts = builder.Host is null ? [] : SplitNpgsqlHosts(builder.Host, builder.Port),
            Database = builder.Database,
            User = builder.Username,
            Password = builder.Password,
        };

        foreach (var (libpq, value) in NpgsqlToLibpq(builder))
        {
            settings = settings.WithParameter(libpq, value);
        }

        return settings;
    }

    private static ImmutableArray<HostEndpoint> SplitNpgsqlHosts(string hostList, int port)
    {
        return hostList.Split(',').Select(h =>
        {
            h = h.Trim();
            if (h.StartsWith('['))
            {
                // [v6] or [v6]:port
                var close = h.IndexOf(']');
                if (close > 0)
                {
                    var after = h[(close + 1)..];
                    return new HostEndpoint(h[1..close], after.StartsWith(':') && int.TryParse(after[1..], out var v6Port) ? v6Port : port);
                }
            }

            var colon = h.LastIndexOf(':');
            if (colon > 0 && h.IndexOf(':') == colon && int.TryParse(h[(colon + 1)..], out var p))
            {
                return new HostEndpoint(h[..colon], p);
            }

            return new HostEndpoint(h, port);
        }).ToImmutableArray();
    }

    /// <summary>The Npgsql settings that have libpq names, so a keyword string round-trips to a URI.</summary>
    private static IEnumerable<(string, string)> NpgsqlToLibpq(NpgsqlConnectionStringBuilder b)
    {
        var defaults = new NpgsqlConnectionStringBuilder();
        if (b.SslMode != defaults.SslMode)
        {
            yield return ("sslmode", b.SslMode switch
            {
                SslMode.Disable => "disable", SslMode.Allow => "allow", SslMode.Prefer => "prefer",
                SslMode.Require => "require", SslMode.VerifyCA => "verify-ca", _ => "verify-full",
            });
        }

        if (b.Timeout != defaults.Timeout) yield return ("connect_timeout", b.Timeout.ToString(CultureInfo.InvariantCulture));
        if (b.ApplicationName is { } app) yield return ("application_name", app);
        if (b.Options is { } options) yield return ("options", options);
        if (b.RootCertificate is { } root) yield return ("sslrootcert", root);
        if (b.SslCertificate is { } cert) yield return ("sslcert", cert);
        if (b.SslKey is { } key) yield return ("sslkey", key);
        if (b.SslPassword is { } sslPassword) yield return ("sslpassword", sslPassword);
        if (b.Passfile is { } passfile) yield return ("passfile", passfile);
        if (b.TargetSessionAttributes is { } tsa) yield return ("target_session_attrs", tsa);
        if (b.ClientEncoding is { } enc) yield return ("client_encoding", enc);
        if (b.KerberosServiceName != defaults.KerberosServiceName) yield return ("krbsrvname", b.KerberosServiceName);
    }

    private static int ParsePort(string text, string errorId)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Invalid(errorId, "The port must be a number from 1 to 65535.");
        }

        return port;
    }

    /// <summary>Strict percent-decoding: a '%' not followed by two hex digits is an error, as in libpq.</summary>
    private static string Decode(string text, string what)
    {
        if (!text.Contains('%'))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        var literalStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                continue;
            }

            // Literal text between escapes is encoded as a whole, so surrogate pairs stay whole.
            bytes.AddRange(Encoding.UTF8.GetBytes(text[literalStart..i]));
            if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
            {
                throw Invalid(InvalidUriErrorId, $"The {what} in the URI has an invalid percent-encoding: '%' must be followed by two hexadecimal digits (write a literal '%' as %25).");
            }

            bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
            i += 2;
            literalStart = i + 1;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(text[literalStart..]));

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(InvalidUriErrorId, $"The {what} in the URI is not valid UTF-8 once percent-decoded.");
        }
    }

    private static OmegaException Invalid(string errorId, string message) =>
        new(errorId, OmegaErrorCategory.InvalidArgument, message);
}
