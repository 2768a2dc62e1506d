namespace OmegaDb.Data;

public enum DataCopyStage
{
    Planning,
    Sampling,
    Copying,
    Finishing,
}

/// <summary>One progress report of a copy: the stage, and for Copying the table and its rows so far.</summary>
public sealed record DataCopyProgress(DataCopyStage Stage, string Message, string? Table = null, int TableNumber = 0, int TableCount = 0, long Rows = 0, long Bytes = 0)
{
    public override string ToString() => Message;

    /// <summary>Forwards the messages to a plain text progress sink (a cmdlet's, or New-OmegaSandbox's).</summary>
    public static IProgress<DataCopyProgress> Relay(IProgress<string> text) => new TextRelay(text);

    private sealed class TextRelay(IProgress<string> text) : IProgress<DataCopyProgress>
    {
        public void Report(DataCopyProgress value) => text.Report(value.Message);
    }
}
