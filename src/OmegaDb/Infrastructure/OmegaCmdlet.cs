using System.Collections.Concurrent;
using System.Management.Automation;

namespace OmegaDb.Commands;

/// <summary>
/// What every OmegaDb cmdlet shares: running engine work with cancellation on Ctrl+C,
/// relaying its progress onto the pipeline thread, and turning engine failures into
/// ErrorRecords with a stable ErrorId, a category, the target and a scrubbed message.
/// </summary>
public abstract class OmegaCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();
    private static int _activityIds = 1000;

    protected CancellationToken Cancellation => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Runs engine work on the thread pool while this thread writes its progress messages as
    /// Verbose and Progress records; PowerShell's streams may only be written from here.
    /// </summary>
    protected T Run<T>(string activity, Func<IProgress<string>, CancellationToken, Task<T>> work)
    {
        var messages = new BlockingCollection<string>();
        var progress = new QueueProgress(messages);
        var task = Task.Run(async () =>
        {
            try
            {
                return await work(progress, Cancellation).ConfigureAwait(false);
            }
            finally
            {
                messages.CompleteAdding();
            }
        });

        var record = new ProgressRecord(Interlocked.Increment(ref _activityIds), activity, "Starting");
        foreach (var message in messages.GetConsumingEnumerable())
        {
            var text = SecretScrubber.Scrub(message);
            WriteVerbose($"{activity}: {text}");
            record.StatusDescription = text;
            WriteProgress(record);
        }

        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is not OmegaException)
        {
            throw ErrorTranslation.ToOmegaException(ex);
        }
    }

    protected void Run(string activity, Func<IProgress<string>, CancellationToken, Task> work) =>
        Run<bool>(activity, async (p, ct) => { await work(p, ct).ConfigureAwait(false); return true; });

    protected static ErrorRecord ToErrorRecord(OmegaException ex, object? target = null) =>
        new(new OmegaRuntimeException(SecretScrubber.Scrub(ex.Message)), ex.ErrorId, MapCategory(ex.Category), target ?? ex.Target);

    protected void WriteOmegaError(OmegaException ex, object? target = null) => WriteError(ToErrorRecord(ex, target));

    protected void ThrowOmegaError(OmegaException ex, object? target = null) => ThrowTerminatingError(ToErrorRecord(ex, target));

    protected new void WriteVerbose(string text) => base.WriteVerbose(SecretScrubber.Scrub(text));

    protected new void WriteDebug(string text) => base.WriteDebug(SecretScrubber.Scrub(text));

    protected new void WriteWarning(string text) => base.WriteWarning(SecretScrubber.Scrub(text));

    private static ErrorCategory MapCategory(OmegaErrorCategory category) =>
        Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;

    private sealed class QueueProgress(BlockingCollection<string> messages) : IProgress<string>
    {
        public void Report(string value)
        {
            if (!messages.IsAddingCompleted)
            {
                messages.TryAdd(value);
            }
        }
    }
}

/// <summary>
/// The exception inside OmegaDb's ErrorRecords: the scrubbed message only, no inner
/// exception, so that no .NET stack trace or server text with a secret reaches the user.
/// </summary>
public sealed class OmegaRuntimeException : RuntimeException
{
    public OmegaRuntimeException(string message)
        : base(message)
    {
    }
}
