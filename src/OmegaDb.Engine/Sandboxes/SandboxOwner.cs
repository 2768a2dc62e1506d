using System.Diagnostics;

namespace OmegaDb.Sandboxes;

/// <summary>
/// Tells whether a process that a sandbox depends on (its owning session, its postmaster)
/// is still the same live process. Process ids are reused, and quickly in containers.
/// </summary>
internal static class SandboxOwner
{
    private static readonly Lazy<DateTimeOffset> Started = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
    });

    private static readonly Lazy<string?> Token = new(() => StartToken(Environment.ProcessId));

    public static DateTimeOffset CurrentStartTime => Started.Value;

    /// <summary>The kernel's start time of this process, in clock ticks since boot (Linux).</summary>
    public static string? CurrentStartToken => Token.Value;

    /// <summary>Running (not a zombie awaiting its reaper).</summary>
    public static bool IsAlive(int pid)
    {
        var state = ProcState(pid);
        if (state is not null)
        {
            return state is not ('Z' or 'X');
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Alive, and the same process that made the sandbox. On Linux the kernel's start ticks
    /// decide, immune to wall-clock steps; elsewhere start times within two seconds.
    /// </summary>
    public static bool IsAlive(int pid, DateTimeOffset startedAt, string? startToken)
    {
        if (!IsAlive(pid))
        {
            return false;
        }

        if (startToken is not null && StartToken(pid) is { } actualToken)
        {
            return actualToken == startToken;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            var actual = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            return (actual - startedAt).Duration() < TimeSpan.FromSeconds(2);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is the postmaster of <paramref name="dataDirectory"/>:
    /// a postgres process whose working directory is the data directory. Signalling a reused
    /// pid from a stale postmaster.pid would hit an unrelated process.
    /// </summary>
    public static bool IsPostmasterOf(int pid, string dataDirectory)
    {
        if (!IsAlive(pid))
        {
            return false;
        }

        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        try
        {
            var cwd = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (cwd is not null)
            {
                return string.Equals(Path.TrimEndingDirectorySeparator(cwd), Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory)), StringComparison.Ordinal);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's process: fall back to its name.
        }

        var comm = ReadProc(pid, "comm")?.Trim();
        return comm is "postgres" or "postmaster";
    }

    internal static string? StartToken(int pid)
    {
        var stat = ReadProc(pid, "stat");
        if (stat is null)
        {
            return null;
        }

        // Fields after the parenthesised command name; starttime is field 22 overall.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 ? fields[19] : null;
    }

    private static char? ProcState(int pid)
    {
        var stat = ReadProc(pid, "stat");
        if (stat is null)
        {
            return OperatingSystem.IsLinux() ? 'X' : null;
        }

        var afterName = stat.LastIndexOf(')');
        return afterName > 0 && afterName + 2 < stat.Length ? stat[afterName + 2] : null;
    }

    private static string? ReadProc(int pid, string file)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
