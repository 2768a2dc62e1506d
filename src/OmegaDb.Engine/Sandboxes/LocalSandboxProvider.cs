using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using OmegaDb.Connections;
using OmegaDb.Processes;

namespace OmegaDb.Sandboxes;

/// <summary>
/// A throwaway cluster from the machine's own PostgreSQL programs: initdb into the sandbox's
/// directory with a random password and scram authentication, durability off, listening on a
/// free loopback port only, started with pg_ctl as an unprivileged account when we are root.
/// </summary>
internal sealed class LocalSandboxProvider : ISandboxProvider
{
    public const string StartFailedErrorId = "OmegaDb.SandboxStartFailed";
    private const string SuperUser = "omega";
    private const int StartAttempts = 3;

    public SandboxEngine Engine => SandboxEngine.Local;

    public async Task<OmegaSandbox> CreateAsync(SandboxRequest request, SandboxMarker marker, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var installation = await PostgresInstallation.FindAsync(request.PostgresBin, cancellationToken).ConfigureAwait(false);
        var account = await UnprivilegedAccount.ForServersAsync(cancellationToken).ConfigureAwait(false);
        var directory = marker.Directory;
        account?.Own(directory);

        var dataDirectory = Path.Combine(directory, "data");
        var logFile = Path.Combine(directory, "server.log");
        var password = RandomPassword();
        SecretScrubber.Remember(password);
        marker = marker with
        {
            Host = "127.0.0.1",
            User = SuperUser,
            Database = "postgres",
            DataDirectory = dataDirectory,
            BinDirectory = installation.BinDirectory,
            RunAsUser = account?.Name,
            ServerVersion = installation.Version.ToString(),
        };
        marker.Write();

        if (request.LocalTemplate is { } template)
        {
            marker = marker with { Template = template.Directory };
            marker.Write();
            progress.Report($"copying the template {template.Directory} (schema fingerprint {template.Fingerprint[..Math.Min(12, template.Fingerprint.Length)]})");
            await LocalTemplateStore.CopyAsync(template, dataDirectory, cancellationToken).ConfigureAwait(false);
            await SetPasswordAsync(installation, account, directory, dataDirectory, password, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            progress.Report($"initdb {installation.Version} into {dataDirectory}{(account is null ? string.Empty : $" as {account.Name}")}");
            await InitDbAsync(installation, account, directory, dataDirectory, password, cancellationToken).ConfigureAwait(false);
        }

        var port = 0;
        for (var attempt = 1; ; attempt++)
        {
            port = FreeLoopbackPort();
            marker = marker with { Port = port };
            marker.Write();
            WriteConfiguration(dataDirectory, port);
            progress.Report($"pg_ctl start on 127.0.0.1:{port}");
            var started = await ProcessRunner.RunAsync(installation.PgCtl,
                ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-s"],
                cancellationToken, directory, runAs: account, timeout: TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            if (started.Succeeded)
            {
                break;
            }

            var log = ServerLogTail(logFile);
            // Another process may take the port between our probe and the server's bind.
            if (attempt < StartAttempts && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            throw new OmegaException(StartFailedErrorId, OmegaErrorCategory.ResourceUnavailable,
                $"The sandbox server did not start (pg_ctl exit code {started.ExitCode}).\n{started.Tail(5)}\nServer log ({logFile}):\n{log}", directory);
        }

        var settings = new ConnectionSettings
        {
            Hosts = [new HostEndpoint("127.0.0.1", port)],
            Database = "postgres",
            User = SuperUser,
            Password = password,
        };

        var sandbox = new OmegaSandbox(settings, marker) { IsOwned = true };
        await DatabaseConnector.CheckAsync(sandbox, cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    public async Task RemoveAsync(SandboxMarker marker, OmegaDatabase? credentials, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var data = marker.DataDirectory ?? Path.Combine(marker.Directory, "data");
        if (IsRunning(marker))
        {
            progress.Report($"stopping the server on port {marker.Port}");
            var pgCtl = marker.BinDirectory is { } bin ? Path.Combine(bin, "pg_ctl") : null;
            if (pgCtl is not null && File.Exists(pgCtl))
            {
                // The server's own account, as recorded, can always signal it.
                var account = marker.RunAsUser is null ? null : await UnprivilegedAccount.ForServersAsync(cancellationToken).ConfigureAwait(false);
                await ProcessRunner.RunAsync(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30", "-s"],
                    cancellationToken, marker.Directory, runAs: account, timeout: TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }

            if (IsRunning(marker))
            {
                KillPostmaster(data);
            }

            if (IsRunning(marker))
            {
                // Deleting the directory now would leave a server running with nothing to find it by.
                throw new OmegaException("OmegaDb.SandboxStopFailed", OmegaErrorCategory.ResourceBusy,
                    $"The sandbox server (pid {PostmasterPid(data)}) did not stop; its directory {marker.Directory} was kept. Stop it by hand and run Remove-OmegaSandbox again.", marker.Id);
            }
        }

        progress.Report($"deleting {marker.Directory}");
        DeleteDirectory(marker.Directory);
    }

    public bool IsRunning(SandboxMarker marker)
    {
        var data = marker.DataDirectory ?? Path.Combine(marker.Directory, "data");
        return PostmasterPid(data) is { } pid && SandboxOwner.IsPostmasterOf(pid, data);
    }

    /// <summary>Stops the sandbox's server cleanly (a checkpoint), so that its files are a consistent copy.</summary>
    internal static async Task StopAsync(SandboxMarker marker, CancellationToken cancellationToken)
    {
        var account = marker.RunAsUser is null ? null : await UnprivilegedAccount.ForServersAsync(cancellationToken).ConfigureAwait(false);
        var result = await ProcessRunner.RunAsync(Path.Combine(marker.BinDirectory!, "pg_ctl"), ["stop", "-D", marker.DataDirectory!, "-m", "fast", "-w", "-t", "60", "-s"],
            cancellationToken, marker.Directory, runAs: account, timeout: TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new OmegaException("OmegaDb.SandboxStopFailed", OmegaErrorCategory.ResourceBusy,
                $"The sandbox server on port {marker.Port} did not stop (pg_ctl exit code {result.ExitCode}):\n{result.Tail(5)}", marker.Id);
        }
    }

    /// <summary>
    /// Gives a cluster copied from a template a password of its own. A single-user backend
    /// reads the statement from stdin: no network listener, no window in which the template's
    /// password or a trust rule would let anyone in, and the password never on a command line.
    /// </summary>
    private static async Task SetPasswordAsync(PostgresInstallation installation, UnprivilegedAccount? account, string directory, string dataDirectory, string password, CancellationToken cancellationToken)
    {
        // The password is base64 letters and digits only (RandomPassword): nothing to quote.
        var result = await ProcessRunner.RunAsync(Path.Combine(installation.BinDirectory, "postgres"),
            ["--single", "-D", dataDirectory, "-c", "exit_on_error=on", "-c", "log_min_messages=fatal", "postgres"],
            cancellationToken, directory, runAs: account, timeout: TimeSpan.FromMinutes(2),
            standardInput: $"ALTER ROLE {SuperUser} PASSWORD '{password}';\n").ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new OmegaException(StartFailedErrorId, OmegaErrorCategory.ResourceUnavailable,
                $"Setting the new sandbox's password in single-user mode failed (exit code {result.ExitCode}):\n{result.Tail(5)}", directory);
        }
    }

    private static async Task InitDbAsync(PostgresInstallation installation, UnprivilegedAccount? account, string directory, string dataDirectory, string password, CancellationToken cancellationToken)
    {
        // The password reaches initdb through a file only its owner can read, never argv.
        var passwordFile = Path.Combine(directory, "pwfile");
        try
        {
            File.WriteAllText(passwordFile, string.Empty);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(passwordFile, password + "\n");
            account?.Own(passwordFile);
            var result = await ProcessRunner.RunAsync(installation.InitDb,
                ["-D", dataDirectory, "-U", SuperUser, "--pwfile", passwordFile, "-A", "scram-sha-256",
                 "-E", "UTF8", "--locale", "C", "--no-sync", "--no-instructions"],
                cancellationToken, directory, runAs: account, timeout: TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new OmegaException(StartFailedErrorId, OmegaErrorCategory.ResourceUnavailable,
                    $"initdb failed (exit code {result.ExitCode}):\n{result.Tail()}", directory);
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static void WriteConfiguration(string dataDirectory, int port)
    {
        // A sandbox is disposable: trade durability for speed, and listen on loopback only.
        var settings = new[]
        {
            $"port = {port.ToString(CultureInfo.InvariantCulture)}",
            "listen_addresses = '127.0.0.1,::1'", // a missing ::1 is only a warning
            "unix_socket_directories = ''",
            "fsync = off",
            "full_page_writes = off",
            "synchronous_commit = off",
            // WAL past the last checkpoint is deleted rather than kept for reuse: a template
            // copied from a stopped sandbox then carries one segment, not the restore's hundreds of MB.
            "wal_recycle = off",
            "min_wal_size = 32MB",
            "max_connections = 200",
            "log_min_messages = warning",
            "log_line_prefix = '%m [%p] '",
        };
        File.WriteAllLines(Path.Combine(dataDirectory, "postgresql.auto.conf"), settings);
    }

    private static string ServerLogTail(string logFile)
    {
        try
        {
            return File.Exists(logFile)
                ? SecretScrubber.Scrub(string.Join('\n', File.ReadAllLines(logFile).TakeLast(15)))
                : "(no server log was written)";
        }
        catch (IOException ex)
        {
            return $"(the server log could not be read: {ex.Message})";
        }
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RandomPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');

    private static int? PostmasterPid(string dataDirectory)
    {
        try
        {
            var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void KillPostmaster(string dataDirectory)
    {
        if (PostmasterPid(dataDirectory) is not { } pid || !SandboxOwner.IsPostmasterOf(pid, dataDirectory))
        {
            return;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    internal static void DeleteDirectory(string directory)
    {
        for (var attempt = 0; Directory.Exists(directory); attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException) when (attempt < 10)
            {
                // A server process that is just exiting may still be removing its files.
                Thread.Sleep(100);
            }
        }
    }
}
