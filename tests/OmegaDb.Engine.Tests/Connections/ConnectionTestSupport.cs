using System.Collections.Immutable;
using OmegaDb.Connections;

namespace OmegaDb.Tests.Connections;

/// <summary>
/// A fake process environment for <see cref="ConnectionResolver"/>: only the variables a test
/// sets exist, and HOME/APPDATA point at an empty private directory so the default password
/// file (~/.pgpass) of whoever runs the tests is never read.
/// </summary>
internal sealed class FakeEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _variables = new(StringComparer.Ordinal);
    private readonly List<string> _lookups = [];

    public FakeEnvironment(params (string Name, string? Value)[] variables)
    {
        Home = TempDirectory.Create();
        _variables["HOME"] = Home.Path;
        _variables["APPDATA"] = Home.Path;
        foreach (var (name, value) in variables)
        {
            _variables[name] = value;
        }
    }

    public TempDirectory Home { get; }

    public IReadOnlyList<string> Lookups => _lookups;

    public string? this[string name]
    {
        get => _variables.TryGetValue(name, out var v) ? v : null;
        set => _variables[name] = value;
    }

    public string? Get(string name)
    {
        lock (_lookups)
        {
            _lookups.Add(name);
        }

        return _variables.TryGetValue(name, out var value) ? value : null;
    }

    public ConnectionResolver Resolver() => new(Get);

    public void Dispose() => Home.Dispose();
}

/// <summary>A uniquely named temporary directory removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    public static TempDirectory Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "omegadb-conn-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return new TempDirectory(path);
    }

    /// <summary>Writes a file, by default readable by its owner only (0600) as libpq requires of a password file.</summary>
    public string WriteFile(string name, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content, new System.Text.UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, mode);
        }

        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static class ConnectionAssert
{
    /// <summary>Hosts as "host|port" (port empty when unset), a readable, serializable form for tables.</summary>
    public static string[] Describe(ImmutableArray<HostEndpoint> hosts) =>
        hosts.Select(h => $"{h.Host}|{h.Port}").ToArray();

    public static string[] Describe(ImmutableSortedDictionary<string, string> parameters) =>
        parameters.Select(p => $"{p.Key}={p.Value}").ToArray();

    public static void Equivalent(ConnectionSettings expected, ConnectionSettings actual)
    {
        Assert.Equal(Describe(expected.Hosts), Describe(actual.Hosts));
        Assert.Equal(expected.Database, actual.Database);
        Assert.Equal(expected.User, actual.User);
        Assert.Equal(expected.Password, actual.Password);
        Assert.Equal(Describe(expected.Parameters), Describe(actual.Parameters));
    }

    /// <summary>Asserts the parse fails with the given stable id, as an argument error, without echoing the secret.</summary>
    public static OmegaException ParseFails(string input, string errorId, string? secret = null)
    {
        var ex = Assert.Throws<OmegaException>(() => ConnectionStringParser.Parse(input));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidArgument, ex.Category);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        if (!string.IsNullOrEmpty(secret))
        {
            Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
            // A fragment leaks as surely as the whole: no four characters of it in a row.
            for (var i = 0; i + 4 <= secret.Length; i++)
            {
                Assert.DoesNotContain(secret.Substring(i, 4), ex.Message, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(Uri.EscapeDataString(secret), ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
        }

        return ex;
    }
}
