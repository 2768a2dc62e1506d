using System.Collections.Concurrent;
using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Sandboxes;
using OmegaDb.Schema;
using OmegaDb.Tests.Schema;

namespace OmegaDb.Tests.Sandboxes;

/// <summary>
/// New-OmegaSandbox -From: the copy has the source's schema fingerprint (and its rows, unless
/// schema only), the second schema-only sandbox comes from a template until the source's
/// schema changes, and a same-server full copy is a clone of the source.
/// </summary>
public sealed class SourceCopyTests(SourceCopyFixture fixture) : IClassFixture<SourceCopyFixture>
{
    private OmegaDatabase Source => fixture.Source;

    [Fact]
    public async Task Full_copy_has_the_source_fingerprint_and_rows_without_the_missing_roles()
    {
        var (sandbox, messages) = await CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Local, From = Source });
        await using var _ = Removing(sandbox);

        await AssertSameSchemaAsync(sandbox);
        Assert.Equal(200L, await SandboxFixture.ScalarAsync(sandbox, "SELECT count(*) FROM app.orders"));
        Assert.Equal(50L, await SandboxFixture.ScalarAsync(sandbox, "SELECT count(*) FROM app.customers"));
        Assert.Equal(Source.ToString(), sandbox.Source);
        Assert.Null(sandbox.TemplateUsed);
        Assert.DoesNotContain(Source.Settings.Password!, sandbox.Source!, StringComparison.Ordinal);
        // The Local sandbox has no such role: the table is the sandbox user's, and the message names the role.
        Assert.Contains(messages, m => m.Contains("ownership and grants were not copied", StringComparison.Ordinal) && m.Contains(fixture.OwnerRole, StringComparison.Ordinal));
        Assert.Equal(sandbox.User, await SandboxFixture.ScalarAsync(sandbox, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'owned'"));
        if (fixture.HasContrib)
        {
            Assert.Equal(1L, await SandboxFixture.ScalarAsync(sandbox, "SELECT count(*) FROM public.mail WHERE address = 'a@EXAMPLE.com'"));
        }
    }

    [Fact]
    public async Task Schema_only_copies_no_rows_and_the_next_one_reuses_the_template_until_the_schema_changes()
    {
        await using var scratch = await fixture.Server.NewDatabaseAsync();
        var source = scratch.Database;
        await SchemaTestSupport.ExecuteAsync(source, "CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items VALUES (1, 'a'), (2, 'b');");
        var request = new SandboxRequest { Engine = SandboxEngineChoice.Local, From = source, SchemaOnly = true };
        try
        {
            var (cold, coldMessages) = await CreateAsync(request);
            await using (Removing(cold))
            {
                Assert.Null(cold.TemplateUsed);
                Assert.Equal(0L, await SandboxFixture.ScalarAsync(cold, "SELECT count(*) FROM items"));
                Assert.Equal((await SchemaTestSupport.ReadAsync(source)).Fingerprint, (await SchemaTestSupport.ReadAsync(cold)).Fingerprint);
                // The template was restored into a twin cluster beside the sandbox, which is gone now.
                Assert.Contains(coldMessages, m => m.StartsWith(TemplateTwin.MessagePrefix + "pg_restore into", StringComparison.Ordinal));
                Assert.Contains(coldMessages, m => m.StartsWith("template saved in", StringComparison.Ordinal));
                Assert.Equal([cold.Id], SandboxManager.List().Where(s => s.Source == source.ToString()).Select(s => s.Id));
            }

            var (warm, _) = await CreateAsync(request);
            var firstTemplate = warm.TemplateUsed;
            await using (Removing(warm))
            {
                Assert.NotNull(firstTemplate);
                Assert.StartsWith(LocalTemplateStore.TemplatesRoot, firstTemplate, StringComparison.Ordinal);
                Assert.Equal((await SchemaTestSupport.ReadAsync(source)).Fingerprint, (await SchemaTestSupport.ReadAsync(warm)).Fingerprint);
                Assert.Equal(0L, await SandboxFixture.ScalarAsync(warm, "SELECT count(*) FROM items"));
                // Its own password: the template's (the cold sandbox's) is not the warm one's.
                Assert.NotEqual(cold.Settings.Password, warm.Settings.Password);
                Assert.Equal(1, await SandboxFixture.ScalarAsync(warm, "SELECT 1"));
            }

            // Templates are not sandboxes.
            Assert.DoesNotContain(SandboxManager.List(), s => s.Marker.Directory.StartsWith(LocalTemplateStore.TemplatesRoot, StringComparison.Ordinal));

            await SchemaTestSupport.ExecuteAsync(source, "ALTER TABLE items ADD COLUMN price numeric");
            var (changed, _) = await CreateAsync(request);
            await using (Removing(changed))
            {
                Assert.Null(changed.TemplateUsed);
                Assert.Equal(1L, await SandboxFixture.ScalarAsync(changed, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'price'"));
            }

            Assert.False(Directory.Exists(firstTemplate), "the outdated template was deleted");
            var (again, _) = await CreateAsync(request);
            await using (Removing(again))
            {
                Assert.NotNull(again.TemplateUsed);
                Assert.NotEqual(firstTemplate, again.TemplateUsed);
            }
        }
        finally
        {
            SourceCopyFixture.DeleteTemplates(source);
        }
    }

    [Fact]
    public async Task Schema_only_copy_of_the_coverage_schema_has_its_fingerprint()
    {
        var (sandbox, _) = await CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Local, From = Source, SchemaOnly = true });
        await using var _ = Removing(sandbox);
        await AssertSameSchemaAsync(sandbox);
        Assert.Equal(0L, await SandboxFixture.ScalarAsync(sandbox, "SELECT count(*) FROM app.orders"));
    }

    [Fact]
    public async Task Server_engine_clones_a_source_on_the_same_server()
    {
        var (sandbox, _) = await CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Server, Server = fixture.Server.Sandbox, From = Source });
        await using var _ = Removing(sandbox);
        Assert.Equal(Source.Database, sandbox.TemplateUsed);
        Assert.Equal(200L, await SandboxFixture.ScalarAsync(sandbox, "SELECT count(*) FROM app.orders"));
        // A clone keeps the owners: the role exists on this server.
        Assert.Equal(fixture.OwnerRole, await SandboxFixture.ScalarAsync(sandbox, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'owned'"));
        await AssertSameSchemaAsync(sandbox);
    }

    [Fact]
    public async Task Server_engine_falls_back_to_a_dump_while_someone_uses_the_source()
    {
        await using var busy = new NpgsqlConnection(NpgsqlConnectionStrings.For(Source, pooling: false));
        await busy.OpenAsync();
        var (sandbox, messages) = await CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Server, Server = fixture.Server.Sandbox, From = Source });
        await using var _ = Removing(sandbox);
        Assert.Null(sandbox.TemplateUsed);
        Assert.Contains(messages, m => m.Contains("other sessions are connected", StringComparison.Ordinal) && m.Contains("restoring a dump instead", StringComparison.Ordinal));
        Assert.Equal(200L, await SandboxFixture.ScalarAsync(sandbox, "SELECT count(*) FROM app.orders"));
        await AssertSameSchemaAsync(sandbox);
    }

    [Fact]
    public async Task Server_engine_schema_only_reuses_a_template_database()
    {
        var request = new SandboxRequest { Engine = SandboxEngineChoice.Server, Server = fixture.Server.Sandbox, From = Source, SchemaOnly = true };
        var (cold, _) = await CreateAsync(request);
        await using (Removing(cold))
        {
            Assert.Null(cold.TemplateUsed);
            Assert.Equal(0L, await SandboxFixture.ScalarAsync(cold, "SELECT count(*) FROM app.orders"));
        }

        var (warm, _) = await CreateAsync(request);
        await using var _ = Removing(warm);
        Assert.StartsWith(ServerTemplateStore.Prefix, warm.TemplateUsed, StringComparison.Ordinal);
        Assert.Equal(0L, await SandboxFixture.ScalarAsync(warm, "SELECT count(*) FROM app.orders"));
        Assert.Equal(true, await SandboxFixture.ScalarAsync(fixture.Server.Sandbox, $"SELECT datistemplate AND NOT datallowconn FROM pg_database WHERE datname = '{warm.TemplateUsed}'"));
        await AssertSameSchemaAsync(warm);
    }

    [Fact]
    public async Task A_failed_dump_leaves_no_sandbox_behind()
    {
        // A user who may connect but not read the tables: pg_dump fails after the sandbox started.
        var reader = "omega_noread_" + Guid.NewGuid().ToString("n")[..6];
        var before = SandboxManager.List().Select(s => s.Id).ToHashSet();
        await SchemaTestSupport.ExecuteAsync(Source, $"CREATE ROLE {reader} LOGIN PASSWORD 'pw-{reader}'");
        try
        {
            var from = SchemaTestSupport.As(Source, reader, "pw-" + reader);
            var error = await Assert.ThrowsAsync<OmegaException>(() => SandboxManager.CreateAsync(
                new SandboxRequest { Engine = SandboxEngineChoice.Local, From = from },
                new Progress<string>(), CancellationToken.None));
            Assert.Equal(SourceDump.DumpFailedErrorId, error.ErrorId);
            Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
            // Other test classes make sandboxes meanwhile: look only for one made from this source,
            // whose marker (written first, with the source) would outlive a failure.
            Assert.DoesNotContain(SandboxManager.List(), s => !before.Contains(s.Id) && s.Source == from.ToString());
        }
        finally
        {
            await SchemaTestSupport.ExecuteAsync(Source, $"DROP ROLE {reader}");
        }
    }

    [Fact]
    public async Task Stopped_while_restoring_leaves_neither_the_sandbox_nor_the_template_twin_behind()
    {
        await using var scratch = await fixture.Server.NewDatabaseAsync();
        var source = scratch.Database;
        await SchemaTestSupport.ExecuteAsync(source, "CREATE TABLE items (id int PRIMARY KEY, label text)");
        using var stop = new CancellationTokenSource();
        var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var progress = new SynchronousProgress(m =>
        {
            messages.Enqueue(m);
            if (m.StartsWith("pg_restore into", StringComparison.Ordinal))
            {
                stop.Cancel();
            }
        });
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SandboxManager.CreateAsync(
                new SandboxRequest { Engine = SandboxEngineChoice.Local, From = source, SchemaOnly = true }, progress, stop.Token));
            Assert.Contains(messages, m => m.StartsWith(TemplateTwin.MessagePrefix + "pg_ctl start", StringComparison.Ordinal));
            Assert.DoesNotContain(SandboxManager.List(), s => s.Source == source.ToString());
            Assert.Empty(Directory.Exists(LocalTemplateStore.TemplatesRoot)
                ? Directory.GetDirectories(LocalTemplateStore.TemplatesRoot, SourceIdentity.Of(source).Key + "-*")
                : []);
        }
        finally
        {
            SourceCopyFixture.DeleteTemplates(source);
        }
    }

    [Fact]
    public async Task A_template_that_cannot_be_saved_still_gives_the_sandbox()
    {
        await using var scratch = await fixture.Server.NewDatabaseAsync();
        var source = scratch.Database;
        await SchemaTestSupport.ExecuteAsync(source, "CREATE TABLE items (id int PRIMARY KEY, label text)");
        // A file where the template's directory would go: the move into place fails.
        var blocked = LocalTemplateStore.DirectoryFor(SourceIdentity.Of(source), (await SchemaTestSupport.ReadAsync(source)).Fingerprint);
        Directory.CreateDirectory(LocalTemplateStore.TemplatesRoot);
        await File.WriteAllTextAsync(blocked, "in the way");
        try
        {
            var (sandbox, messages) = await CreateAsync(new SandboxRequest { Engine = SandboxEngineChoice.Local, From = source, SchemaOnly = true });
            await using (Removing(sandbox))
            {
                Assert.Contains(messages, m => m.StartsWith("no template saved:", StringComparison.Ordinal));
                Assert.Equal(1L, await SandboxFixture.ScalarAsync(sandbox, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'items'"));
                Assert.Equal([sandbox.Id], SandboxManager.List().Where(s => s.Source == source.ToString()).Select(s => s.Id));
            }
        }
        finally
        {
            File.Delete(blocked);
            SourceCopyFixture.DeleteTemplates(source);
        }
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    [Fact]
    public void Missing_extensions_are_listed_before_anything_is_restored()
    {
        Assert.Equal(["postgis", "timescaledb"], ExtensionCheck.Missing(["plpgsql", "timescaledb", "citext", "postgis"], ["plpgsql", "citext", "pgcrypto"]));
        Assert.Empty(ExtensionCheck.Missing(["plpgsql"], ["plpgsql", "citext"]));
        var error = Assert.Throws<OmegaException>(() => ExtensionCheck.EnsureAvailable(["plpgsql", "postgis", "vector"], ["plpgsql"], "Local 127.0.0.1:5999", Source));
        Assert.Equal(ExtensionCheck.MissingErrorId, error.ErrorId);
        Assert.Contains("postgis, vector", error.Message, StringComparison.Ordinal);
        Assert.Equal(OmegaErrorCategory.NotInstalled, error.Category);
    }

    private async Task AssertSameSchemaAsync(OmegaDatabase copy)
    {
        var expected = await SchemaTestSupport.ReadAsync(Source);
        var actual = await SchemaTestSupport.ReadAsync(copy);
        var differences = SchemaComparer.Compare(expected, actual).Select(c => $"{c.ObjectType} {c.Name} {c.Change} {c.Property}: {c.ReferenceValue} -> {c.DifferenceValue}").ToList();
        Assert.Empty(differences);
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
    }

    private static async Task<(OmegaSandbox Sandbox, IReadOnlyList<string> Messages)> CreateAsync(SandboxRequest request)
    {
        var messages = new ConcurrentQueue<string>();
        var sandbox = await SandboxManager.CreateAsync(request, new Collecting(messages), CancellationToken.None);
        return (sandbox, messages.ToArray());
    }

    private static ScratchDatabase Removing(OmegaSandbox sandbox) => new(sandbox);

    // Synchronous, unlike Progress<T>: every message is there when CreateAsync returns.
    private sealed class Collecting(ConcurrentQueue<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Enqueue(value);
    }
}
