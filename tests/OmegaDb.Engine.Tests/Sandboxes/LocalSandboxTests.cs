using System.Net.Sockets;
using OmegaDb.Sandboxes;

namespace OmegaDb.Tests.Sandboxes;

public sealed class LocalSandboxTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Sandbox_answers_on_loopback_with_its_password()
    {
        var sandbox = fixture.Sandbox;
        Assert.Equal(SandboxEngine.Local, sandbox.Engine);
        Assert.Equal("127.0.0.1", sandbox.Host);
        Assert.True(sandbox.IsOwned);
        Assert.Matches(@"^\d+\.\d+", sandbox.ServerVersion);
        Assert.Equal(1, await SandboxFixture.ScalarAsync(sandbox, "SELECT 1"));
        Assert.Equal("off", await SandboxFixture.ScalarAsync(sandbox, "SHOW fsync"));
    }

    [Fact]
    public void Marker_describes_the_sandbox_without_its_password()
    {
        var sandbox = fixture.Sandbox;
        var markerPath = Path.Combine(Path.GetDirectoryName(sandbox.DataDirectory)!, SandboxMarker.FileName);
        var text = File.ReadAllText(markerPath);
        var password = sandbox.Settings.Password!;
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(password), text, StringComparison.Ordinal);

        var marker = SandboxMarker.TryRead(Path.GetDirectoryName(markerPath)!);
        Assert.NotNull(marker);
        Assert.Equal(sandbox.Id, marker.Id);
        Assert.Equal(sandbox.Port, marker.Port);
        Assert.Equal(Environment.ProcessId, marker.OwnerProcessId);
        Assert.Equal(SandboxEngine.Local, marker.Engine);
    }

    [Fact]
    public void Redacted_uri_hides_the_password_and_full_uri_has_it()
    {
        var sandbox = fixture.Sandbox;
        var password = sandbox.Settings.Password!;
        Assert.DoesNotContain(password, sandbox.ToString(), StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(password), sandbox.GetConnectionUri(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_test_gets_an_isolated_database()
    {
        await using var first = await fixture.NewDatabaseAsync();
        await using var second = await fixture.NewDatabaseAsync();
        Assert.NotEqual(first.Database.Database, second.Database.Database);
        await SandboxFixture.ScalarAsync(first.Database, "CREATE TABLE only_here (id int)");
        Assert.Equal(0L, await SandboxFixture.ScalarAsync(second.Database, "SELECT count(*) FROM pg_class WHERE relname = 'only_here'"));
    }

    [Fact]
    public async Task Scratch_database_is_dropped_on_removal()
    {
        var scratch = await fixture.NewDatabaseAsync();
        var name = scratch.Database.Database;
        await scratch.DisposeAsync();
        Assert.Equal(0L, await SandboxFixture.ScalarAsync(fixture.Sandbox, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
        Assert.Equal(SandboxStatus.Removed, scratch.Database.Status);
    }

    [Fact]
    public async Task Removed_sandbox_leaves_no_server_port_or_directory()
    {
        var sandbox = await SandboxManager.CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Local }, new Progress<string>(), CancellationToken.None);
        var directory = Path.GetDirectoryName(sandbox.DataDirectory)!;
        var postmaster = int.Parse(File.ReadLines(Path.Combine(sandbox.DataDirectory!, "postmaster.pid")).First());

        await SandboxManager.RemoveAsync(sandbox, force: false, server: null, new Progress<string>(), CancellationToken.None);

        Assert.False(Directory.Exists(directory));
        Assert.False(SandboxOwner.IsAlive(postmaster));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", sandbox.Port));
        Assert.DoesNotContain(SandboxManager.List(), s => s.Id == sandbox.Id);
    }

    [Fact]
    public void A_marker_whose_owner_is_gone_is_reported_orphaned()
    {
        var directory = Path.Combine(SandboxManager.Root, "omega-xunit-orphan-" + Guid.NewGuid().ToString("n")[..6]);
        Directory.CreateDirectory(directory);
        try
        {
            new SandboxMarker
            {
                Id = Path.GetFileName(directory), Name = "orphan", Engine = SandboxEngine.Local, Directory = directory,
                OwnerProcessId = int.MaxValue - 1, OwnerStartedAt = DateTimeOffset.UtcNow.AddHours(-1), CreatedAt = DateTimeOffset.UtcNow,
                Host = "127.0.0.1", Port = 1, User = "omega", Database = "postgres", DataDirectory = Path.Combine(directory, "data"),
            }.Write();

            var found = Assert.Single(SandboxManager.List(), s => s.Id == Path.GetFileName(directory));
            Assert.Equal(SandboxStatus.Orphaned, found.Status);
            Assert.False(found.IsOwned);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_live_session_s_sandbox_is_not_removed_without_force()
    {
        // This process is alive, so a marker naming it with another start time stands for a
        // sandbox of a different live session only if the pid differs; use PID 1, always alive.
        var directory = Path.Combine(SandboxManager.Root, "omega-xunit-foreign-" + Guid.NewGuid().ToString("n")[..6]);
        Directory.CreateDirectory(directory);
        try
        {
            using var init = System.Diagnostics.Process.GetProcessById(1);
            var marker = new SandboxMarker
            {
                Id = Path.GetFileName(directory), Name = "foreign", Engine = SandboxEngine.Local, Directory = directory,
                OwnerProcessId = 1, OwnerStartedAt = new DateTimeOffset(init.StartTime.ToUniversalTime(), TimeSpan.Zero),
                CreatedAt = DateTimeOffset.UtcNow, Host = "127.0.0.1", Port = 1, User = "omega", Database = "postgres",
                DataDirectory = Path.Combine(directory, "data"),
            };
            marker.Write();
            var found = Assert.Single(SandboxManager.List(), s => s.Id == marker.Id);
            var error = await Assert.ThrowsAsync<OmegaException>(() => SandboxManager.RemoveAsync(found, force: false, server: null, new Progress<string>(), CancellationToken.None));
            Assert.Equal(SandboxManager.OwnedElsewhereErrorId, error.ErrorId);
            Assert.True(Directory.Exists(directory));

            await SandboxManager.RemoveAsync(found, force: true, server: null, new Progress<string>(), CancellationToken.None);
            Assert.False(Directory.Exists(directory));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
