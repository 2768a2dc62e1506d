using Npgsql;

namespace OmegaDb.Connections;

/// <summary>Renders an OmegaDatabase as an Npgsql connection string; kept beside Npgsql, out of the public model.</summary>
internal static class NpgsqlConnectionStrings
{
    public static string For(OmegaDatabase database, bool pooling = true)
    {
        var settings = database.Settings;
        var builder = new NpgsqlConnectionStringBuilder();
        var hosts = settings.Hosts;
        if (hosts.Length == 1)
        {
            builder.Host = hosts[0].Host;
            builder.Port = hosts[0].Port ?? 5432;
        }
        else
        {
            builder.Host = string.Join(",", hosts.Select(h => $"{(h.Host.Contains(':') ? $"[{h.Host}]" : h.Host)}:{h.Port ?? 5432}"));
        }

        builder.Database = database.Database;
        builder.Username = database.User;
        if (settings.Password is not null)
        {
            builder.Password = settings.Password;
        }

        foreach (var (name, value) in settings.Parameters)
        {
            LibpqParameters.Apply(name, value, builder);
        }

        builder.ApplicationName ??= "OmegaDb";
        builder.Pooling = pooling;
        return builder.ConnectionString;
    }
}
