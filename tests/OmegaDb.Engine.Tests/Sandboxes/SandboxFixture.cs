using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Sandboxes;

namespace OmegaDb.Tests.Sandboxes;

/// <summary>
/// One Local sandbox per test class; each test that needs isolation takes a fresh database
/// on it through the Server engine, the same way users get scratch databases.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public OmegaSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxManager.CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Local, Name = "xunit-" + Guid.NewGuid().ToString("n")[..8] },
            new Progress<string>(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await SandboxManager.RemoveAsync(Sandbox, force: true, server: null, new Progress<string>(), CancellationToken.None);
    }

    /// <summary>A fresh database for one test; dispose it to drop it.</summary>
    public async Task<ScratchDatabase> NewDatabaseAsync()
    {
        var scratch = await SandboxManager.CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Server, Server = Sandbox },
            new Progress<string>(), CancellationToken.None);
        return new ScratchDatabase(scratch);
    }

    public static async Task<object?> ScalarAsync(OmegaDatabase database, string sql)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

public sealed class ScratchDatabase(OmegaSandbox sandbox) : IAsyncDisposable
{
    public OmegaSandbox Database { get; } = sandbox;

    public ValueTask DisposeAsync() =>
        new(SandboxManager.RemoveAsync(Database, force: true, server: null, new Progress<string>(), CancellationToken.None));
}
