using System.Runtime.InteropServices;

namespace OmegaDb.Processes;

/// <summary>
/// The account a local PostgreSQL server runs as when OmegaDb itself runs as root
/// (PostgreSQL refuses root). <c>OMEGADB_SANDBOX_USER</c> chooses it; otherwise
/// <c>postgres</c> when that account exists, else <c>nobody</c>.
/// </summary>
public sealed partial class UnprivilegedAccount
{
    internal const string RunuserPath = "runuser";

    private UnprivilegedAccount(string name, uint userId, uint groupId)
    {
        Name = name;
        UserId = userId;
        GroupId = groupId;
    }

    public string Name { get; }

    public uint UserId { get; }

    public uint GroupId { get; }

    public static bool IsRoot => !OperatingSystem.IsWindows() && geteuid() == 0;

    // Looked up once per process and choice: every sandbox would otherwise pay for two `id` runs.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, UnprivilegedAccount> Resolved = new(StringComparer.Ordinal);

    /// <summary>The account to run servers as, or null when the current user can run them itself.</summary>
    public static async Task<UnprivilegedAccount?> ForServersAsync(CancellationToken cancellationToken)
    {
        if (!IsRoot)
        {
            return null;
        }

        var candidates = Environment.GetEnvironmentVariable("OMEGADB_SANDBOX_USER") is { Length: > 0 } chosen
            ? new[] { chosen }
            : new[] { "postgres", "nobody" };
        var key = string.Join(',', candidates);
        if (Resolved.TryGetValue(key, out var known))
        {
            return known;
        }

        foreach (var name in candidates)
        {
            var uid = await ProcessRunner.RunAsync("id", ["-u", name], cancellationToken).ConfigureAwait(false);
            var gid = await ProcessRunner.RunAsync("id", ["-g", name], cancellationToken).ConfigureAwait(false);
            if (uid.Succeeded && gid.Succeeded)
            {
                return Resolved[key] = new UnprivilegedAccount(name, uint.Parse(uid.StandardOutput.Trim()), uint.Parse(gid.StandardOutput.Trim()));
            }
        }

        throw new OmegaException("OmegaDb.NoUnprivilegedAccount", OmegaErrorCategory.PermissionDenied,
            $"PostgreSQL refuses to run as root and none of the accounts {string.Join(", ", candidates)} exists. Create one (useradd --system postgres) or set OMEGADB_SANDBOX_USER to an existing unprivileged account.");
    }

    /// <summary>Gives a file or directory to this account (root only).</summary>
    public void Own(string path)
    {
        if (chown(path, UserId, GroupId) != 0)
        {
            throw new OmegaException("OmegaDb.ChownFailed", OmegaErrorCategory.PermissionDenied,
                $"Could not give '{path}' to the account '{Name}' (errno {Marshal.GetLastPInvokeError()}).", path);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);
}
