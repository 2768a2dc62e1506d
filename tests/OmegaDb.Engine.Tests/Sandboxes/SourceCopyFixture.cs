using System.Security.Cryptography;
using OmegaDb.Sandboxes;
using OmegaDb.Tests.Schema;

namespace OmegaDb.Tests.Sandboxes;

/// <summary>
/// One source for every -From test: a scratch database on a shared Local sandbox holding the
/// coverage schema (every kind of object the reader knows), contrib extensions when installed,
/// rows, and a table owned by a role that other servers lack.
/// </summary>
public sealed class SourceCopyFixture : IAsyncLifetime
{
    public readonly SandboxFixture Server = new();

    public ScratchDatabase Scratch { get; private set; } = null!;

    public OmegaDatabase Source => Scratch.Database;

    public string OwnerRole { get; } = "omega_owner_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();

    public bool HasContrib { get; private set; }

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Scratch = await Server.NewDatabaseAsync();
        HasContrib = SchemaTestSupport.ContribAvailable("citext") && SchemaTestSupport.ContribAvailable("pgcrypto");
        if (HasContrib)
        {
            await SchemaTestSupport.ExecuteAsync(Source, """
                CREATE EXTENSION citext;
                CREATE EXTENSION pgcrypto;
                CREATE TABLE public.mail (address public.citext PRIMARY KEY, token bytea DEFAULT public.gen_random_bytes(8));
                INSERT INTO public.mail (address) VALUES ('A@example.com'), ('b@example.com');
                """);
        }

        await SchemaTestSupport.ExecuteAsync(Source, CoverageSchema.Ddl);
        await SchemaTestSupport.ExecuteAsync(Source, "ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok'");
        // A unique index built concurrently over duplicates fails and stays behind, invalid.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => SchemaTestSupport.ExecuteAsync(Source, "CREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON app.dupes (v)"));
        await SchemaTestSupport.ExecuteAsync(Source, $"""
            INSERT INTO app.customers (code, email) SELECT 'c' || g, 'c' || g || '@example.com' FROM generate_series(1, 50) g;
            INSERT INTO app.orders (id, customer_id, total, tags) SELECT g, 1 + g % 50, g * 3, ARRAY['t' || g % 4] FROM generate_series(1, 200) g;
            CREATE ROLE {OwnerRole};
            CREATE TABLE public.owned (id integer PRIMARY KEY);
            ALTER TABLE public.owned OWNER TO {OwnerRole};
            GRANT SELECT ON app.orders TO {OwnerRole};
            """);
    }

    public async Task DisposeAsync()
    {
        DeleteTemplates(Source);
        if (Directory.Exists(LocalTemplateStore.TemplatesRoot) && !Directory.EnumerateFileSystemEntries(LocalTemplateStore.TemplatesRoot).Any())
        {
            Directory.Delete(LocalTemplateStore.TemplatesRoot);
        }

        // The role goes with the server (template databases on it still reference it).
        await Scratch.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>The Local templates of one source, and its lock file; other sources' templates stay.</summary>
    public static void DeleteTemplates(OmegaDatabase source)
    {
        if (!Directory.Exists(LocalTemplateStore.TemplatesRoot))
        {
            return;
        }

        var key = SourceIdentity.Of(source).Key;
        foreach (var template in Directory.GetDirectories(LocalTemplateStore.TemplatesRoot, key + "-*"))
        {
            LocalSandboxProvider.DeleteDirectory(template);
        }

        File.Delete(Path.Combine(LocalTemplateStore.TemplatesRoot, key + ".lock"));
    }
}
