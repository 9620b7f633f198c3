namespace TokenService.Pins;

/// <summary>What went wrong with a PIN source.</summary>
internal enum PinSourceFailure
{
    /// <summary>The caller asked wrongly: more than one source, or an empty PIN.</summary>
    Usage,
    /// <summary>The source is missing, empty or unreadable.</summary>
    Unreadable,
}

/// <summary>A PIN source that cannot give a PIN; the message names the source, never the PIN.</summary>
internal sealed class PinSourceException(PinSourceFailure failure, string message) : Exception(message)
{
    public PinSourceFailure Failure { get; } = failure;
}
