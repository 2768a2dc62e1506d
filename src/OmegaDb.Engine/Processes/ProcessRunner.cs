using System.Diagnostics;
using System.Text;

namespace OmegaDb.Processes;

/// <summary>What a finished child process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines of both streams, scrubbed, for error messages.</summary>
    public string Tail(int lines = 20) =>
        SecretScrubber.Scrub(string.Join('\n', (StandardOutput + "\n" + StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeLast(lines)));
}

/// <summary>
/// Runs PostgreSQL's own programs. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>
/// (no shell, no quoting bugs) and never carry a password: secrets travel in files or the
/// child's environment. As root, programs run as the unprivileged account through runuser,
/// because PostgreSQL refuses to run as root.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        UnprivilegedAccount? runAs = null,
        TimeSpan? timeout = null,
        string? standardInput = null,
        Action<string>? onErrorLine = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };

        if (runAs is not null)
        {
            start.FileName = UnprivilegedAccount.RunuserPath;
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(runAs.Name);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Child programs speak English so that messages can be matched, and a stray libpq
        // variable from the user's shell never redirects them.
        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr) stderr.AppendLine(e.Data);
                // Long-running programs (pg_dump --verbose) report what they are doing on stderr.
                onErrorLine?.Invoke(e.Data);
            }
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new OmegaException("OmegaDb.ProgramNotFound", OmegaErrorCategory.NotInstalled,
                $"Could not start '{start.FileName}': {ex.Message}", fileName, ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Secrets a program reads from stdin (a single-user backend's SQL) never reach argv.
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (cancellationToken.IsCancellationRequested) throw;
            throw new OmegaException("OmegaDb.ProgramTimedOut", OmegaErrorCategory.OperationTimeout,
                $"'{Path.GetFileName(fileName)}' did not finish within {(timeout ?? TimeSpan.FromMinutes(5)).TotalSeconds:0} seconds.", fileName);
        }

        // WaitForExitAsync returns once the streams are drained as well.
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
