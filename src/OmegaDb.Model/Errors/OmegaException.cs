namespace OmegaDb;

/// <summary>
/// An error the user can act on. <see cref="ErrorId"/> is stable across releases so that
/// runbooks and tests can match on it; the message says what to do next.
/// </summary>
public class OmegaException : Exception
{
    public OmegaException(string errorId, OmegaErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    public string ErrorId { get; }

    public OmegaErrorCategory Category { get; }

    public object? Target { get; }
}
