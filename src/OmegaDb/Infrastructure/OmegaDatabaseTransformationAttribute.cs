using System.Management.Automation;
using OmegaDb.Connections;

namespace OmegaDb.Commands;

/// <summary>
/// Lets every -Database (and -Server) parameter take a connection string or URI as well as an
/// OmegaDatabase: the string is parsed here; the connection is opened when it is used.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class OmegaDatabaseTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            null => null,
            OmegaDatabase database => database,
            string text => Parse(text),
            object[] items => items.Select(i => Transform(engineIntrinsics, i)).ToArray(),
            _ => value,
        };
    }

    private static OmegaDatabase Parse(string text)
    {
        try
        {
            return DatabaseConnector.Create(text);
        }
        catch (OmegaException ex)
        {
            throw new ArgumentTransformationMetadataException($"{ex.ErrorId}: {SecretScrubber.Scrub(ex.Message)}");
        }
    }
}
