namespace OmegaDb.Connections;

/// <summary>
/// The libpq connection parameters OmegaDb understands, and how each maps onto Npgsql.
/// A URI or keyword string naming a parameter outside this table is refused, as libpq
/// refuses it, rather than silently dropped: dropping <c>sslcrl</c> would weaken security.
/// </summary>
internal static class LibpqParameters
{
    /// <summary>libpq name to Npgsql keyword, for parameters passed through unchanged.</summary>
    private static readonly Dictionary<string, string> Passthrough = new(StringComparer.Ordinal)
    {
        ["passfile"] = "Passfile",
        ["connect_timeout"] = "Timeout",
        ["client_encoding"] = "Client Encoding",
        ["options"] = "Options",
        ["application_name"] = "Application Name",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslrootcert"] = "Root Certificate",
        ["sslpassword"] = "SSL Password",
        ["krbsrvname"] = "Kerberos Service Name",
        ["keepalives_idle"] = "Tcp Keepalive Time",
        ["keepalives_interval"] = "Tcp Keepalive Interval",
    };

    /// <summary>Parameters whose values are enumerations, with the values libpq accepts.</summary>
    private static readonly Dictionary<string, (string Keyword, Dictionary<string, string> Values)> Enumerated = new(StringComparer.Ordinal)
    {
        ["sslmode"] = ("SSL Mode", new(StringComparer.Ordinal)
        {
            ["disable"] = "Disable", ["allow"] = "Allow", ["prefer"] = "Prefer",
            ["require"] = "Require", ["verify-ca"] = "VerifyCA", ["verify-full"] = "VerifyFull",
        }),
        ["channel_binding"] = ("Channel Binding", new(StringComparer.Ordinal)
        {
            ["disable"] = "Disable", ["prefer"] = "Prefer", ["require"] = "Require",
        }),
        ["gssencmode"] = ("GSS Encryption Mode", new(StringComparer.Ordinal)
        {
            ["disable"] = "Disable", ["prefer"] = "Prefer", ["require"] = "Require",
        }),
        ["target_session_attrs"] = ("Target Session Attributes", new(StringComparer.Ordinal)
        {
            ["any"] = "any", ["read-write"] = "read-write", ["read-only"] = "read-only",
            ["primary"] = "primary", ["standby"] = "standby", ["prefer-standby"] = "prefer-standby",
        }),
        ["load_balance_hosts"] = ("Load Balance Hosts", new(StringComparer.Ordinal)
        {
            ["disable"] = "false", ["random"] = "true",
        }),
    };

    /// <summary>libpq parameters that have no effect worth keeping with Npgsql; accepted and ignored.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "fallback_application_name", // applied by the parser when application_name is absent
        "keepalives",
        "sslcompression",
        "sslsni",
    };

    /// <summary>libpq parameters Npgsql cannot honour; ignoring them would change behaviour.</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "hostaddr", "service", "requirepeer", "sslcrl", "sslcrldir", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "keepalives_count", "tcp_user_timeout", "replication",
        "requiressl", "gsslib", "sslcertmode", "require_auth",
    };

    /// <summary>The five parameters carried in dedicated fields of ConnectionSettings.</summary>
    internal static readonly HashSet<string> Core = new(StringComparer.Ordinal)
    {
        "host", "port", "dbname", "user", "password",
    };

    /// <summary>The known parameter within two edits of <paramref name="name"/>, if any.</summary>
    internal static string? NearMiss(string name)
    {
        if (name.Length is < 3 or > 30)
        {
            return null;
        }

        return Core.Concat(Passthrough.Keys).Concat(Enumerated.Keys)
            .Select(known => (known, distance: Distance(name.ToLowerInvariant(), known)))
            .Where(x => x.distance <= 2)
            .OrderBy(x => x.distance)
            .Select(x => x.known)
            .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }

    internal static bool IsKnown(string name) =>
        Core.Contains(name) || Passthrough.ContainsKey(name) || Enumerated.ContainsKey(name) || Ignored.Contains(name) || Unsupported.Contains(name);

    /// <summary>Checks a non-core parameter; returns an error message, or null when acceptable.</summary>
    internal static string? Validate(string name, string value)
    {
        if (Unsupported.Contains(name))
        {
            return $"The libpq parameter '{name}' is not supported by OmegaDb (Npgsql cannot honour it). Remove it from the connection string.";
        }

        if (Enumerated.TryGetValue(name, out var e) && !e.Values.ContainsKey(value))
        {
            return $"'{value}' is not a valid value for '{name}'. Valid values: {string.Join(", ", e.Values.Keys)}.";
        }

        if (name is "connect_timeout" or "keepalives_idle" or "keepalives_interval")
        {
            // Npgsql accepts connect timeouts up to 1024 s, and no negative intervals.
            var max = name == "connect_timeout" ? 1024 : int.MaxValue;
            if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds > max)
            {
                return $"'{name}' must be a whole number of seconds from 0 to {max}, not '{value}'.";
            }
        }

        return null;
    }

    /// <summary>Applies one non-core libpq parameter to an Npgsql keyword dictionary.</summary>
    internal static void Apply(string name, string value, Npgsql.NpgsqlConnectionStringBuilder npgsql)
    {
        if (Passthrough.TryGetValue(name, out var keyword))
        {
            npgsql[keyword] = value;
        }
        else if (Enumerated.TryGetValue(name, out var e))
        {
            npgsql[e.Keyword] = e.Values[value];
        }
    }
}
