using System.Management.Automation;
using System.Net;
using OmegaDb.Connections;

namespace OmegaDb.Commands;

/// <summary>
/// Connect-OmegaDatabase: parses a URI or keyword string (or DATABASE_URL and the PG*
/// variables), opens one connection to check it, and emits an OmegaDatabase.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "OmegaDatabase")]
[OutputType(typeof(OmegaDatabase))]
public sealed class ConnectOmegaDatabaseCommand : OmegaCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Uri", "Url")]
    public string? ConnectionString { get; set; }

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
            NetworkCredential? credential = Credential?.GetNetworkCredential();
            var resolver = new ConnectionResolver();
            var settings = resolver.Resolve(ConnectionString, credential?.UserName is { Length: > 0 } u ? u : null, credential?.Password);
            database = new OmegaDatabase(settings, Name, Environment);
            WriteVerbose($"Connecting to {database} (from {resolver.LastSource}).");
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, ConnectionString is null ? null : "(connection string not shown)");
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
