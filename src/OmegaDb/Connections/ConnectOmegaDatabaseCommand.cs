using System.Management.Automation;
using OmegaDb.Connections;

namespace OmegaDb.Commands;

/// <summary>
/// Connect-OmegaDatabase: parses a URI or keyword string (or DATABASE_URL and the PG*
/// variables), opens one connection to check it, and emits an OmegaDatabase.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "OmegaDatabase", DefaultParameterSetName = StringSet)]
[OutputType(typeof(OmegaDatabase))]
public sealed class ConnectOmegaDatabaseCommand : OmegaCmdlet
{
    private const string StringSet = "ConnectionString";
    private const string DatabaseSet = "Database";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = StringSet)]
    [Alias("Uri", "Url")]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// An OmegaDatabase to check again, or to relabel with -Name and -Environment. Without
    /// this, a piped database would bind to -ConnectionString as its redacted ToString().
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DatabaseSet)]
    public OmegaDatabase? Database { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    [Parameter]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        OmegaDatabase database;
        try
        {
            database = Database is not null ? Relabel(Database) : Resolve();
        }
        catch (Exception ex)
        {
            // The input may hold a password: the target names the input, never quotes it.
            WriteOmegaError(ErrorTranslation.ToOmegaException(ex), Database is not null ? Database : "(connection string not shown)");
            return;
        }

        try
        {
            Run("Connect-OmegaDatabase", (_, ct) => DatabaseConnector.CheckAsync(database, ct));
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, database);
            return;
        }

        WriteVerbose($"Connected to {database.Name}: PostgreSQL {database.ServerVersion}{(database.IsProduction ? " (Production: safety rules apply)" : string.Empty)}.");
        WriteObject(database);
    }

    private OmegaDatabase Resolve()
    {
        // UserName as typed: GetNetworkCredential() would cut "app@server" and "DOMAIN\app".
        var user = Credential?.UserName is { Length: > 0 } u ? u : null;
        var password = Credential?.GetNetworkCredential().Password;
        var resolver = new ConnectionResolver();
        var settings = resolver.Resolve(ConnectionString, user, password);
        var database = new OmegaDatabase(settings, Name, Environment);
        WriteVerbose($"Connecting to {database} (from {resolver.LastSource}).");
        return database;
    }

    private OmegaDatabase Relabel(OmegaDatabase database)
    {
        var settings = database.Settings;
        if (Credential is not null)
        {
            settings = settings with { User = Credential.UserName, Password = Credential.GetNetworkCredential().Password };
            SecretScrubber.Remember(settings.Password);
        }

        WriteVerbose($"Connecting to {database}.");
        return new OmegaDatabase(settings, Name ?? database.Name, Environment ?? database.Environment);
    }

    /// <summary>Suggests the environment names the safety rules know.</summary>
    public sealed class EnvironmentCompleter : IArgumentCompleter
    {
        private static readonly string[] Known = ["Production", "Staging", "Test", "Development"];

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
            Known.Where(k => k.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
                .Select(k => new CompletionResult(k));
    }
}
