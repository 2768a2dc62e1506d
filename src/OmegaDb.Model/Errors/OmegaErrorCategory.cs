namespace OmegaDb;

/// <summary>
/// The subset of PowerShell's ErrorCategory that the engine reports. Names match
/// System.Management.Automation.ErrorCategory exactly so the cmdlet layer maps by name.
/// </summary>
public enum OmegaErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceUnavailable,
    ResourceExists,
    ResourceBusy,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    SecurityError,
    NotInstalled,
    OperationStopped,
    OperationTimeout,
    DeviceError,
}
