namespace TokenService.Cli;

/// <summary>Documented exit codes (README "Exit codes"); 64/69/70 follow sysexits.h.</summary>
internal static class ExitCodes
{
    /// <summary>`probe-server`: the server was reached and negotiated TLS 1.3 or TLS 1.2.</summary>
    public const int Success = 0;
    /// <summary>Every initialized token checked is compatible (TLS 1.3 and 1.2); uninitialized ones take no part.</summary>
    public const int Compatible = 0;
    /// <summary>The worst token is usable with TLS 1.2 only.</summary>
    public const int Tls12Only = 1;
    /// <summary>The worst token cannot authenticate a TLS client.</summary>
    public const int Incompatible = 2;
    /// <summary>`check`: the target clients disagree: some complete client authentication, some fail in both versions.</summary>
    public const int ClientDependent = 6;
    /// <summary>`check`: the token hides its private objects (no PIN, or no login) and shows no certificate or public key either.</summary>
    public const int NoVisibleKey = 5;
    /// <summary>
    /// `check` and `handshake`: a token refused the PIN (C_Login failed: CKR_PIN_INCORRECT, CKR_PIN_LEN_RANGE, ...).
    /// The one login is never retried; `check` still prints the report, made from what the token shows without login.
    /// </summary>
    public const int LoginFailed = 7;
    /// <summary>handshake: the server accepted the client certificate, as predicted.</summary>
    public const int HandshakeOk = 0;
    /// <summary>handshake: the handshake failed, as predicted.</summary>
    public const int HandshakeFailedAsPredicted = 3;
    /// <summary>handshake: the real handshake and the prediction disagree.</summary>
    public const int Disagreement = 4;
    /// <summary>Bad command line or option value (EX_USAGE).</summary>
    public const int Usage = 64;
    /// <summary>
    /// The module could not be loaded, no token matched, a PIN source could not be read, or the server (`--server`,
    /// `probe-server`, `handshake`) was unreachable or negotiated neither TLS 1.3 nor TLS 1.2; handshake: the engine
    /// or the login could not be used (EX_UNAVAILABLE).
    /// </summary>
    public const int Unavailable = 69;
    /// <summary>`vcard`: the vpcd reader already holds a card (one per reader); retry once it is free (EX_TEMPFAIL).</summary>
    public const int ReaderOccupied = 75;
    /// <summary>A bug: an unexpected exception (EX_SOFTWARE).</summary>
    public const int Internal = 70;
    /// <summary>Interrupted (Ctrl-C, SIGTERM) before the command decided anything: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;
    /// <summary>`serve`/`watch`: the configuration is invalid (options validation at start; EX_CONFIG).</summary>
    public const int Config = 78;

    /// <summary>
    /// `check`: <see cref="LoginFailed"/> when a token refused the PIN (a verdict made without the private objects
    /// must not pass for one made with them), else the worst initialized token's verdict.
    /// </summary>
    public static int ForCheck(Verdicts.ModuleVerdict judged) => judged.LoginFailed ? LoginFailed : ForVerdict(judged.Verdict);

    public static int ForVerdict(Verdicts.Verdict verdict) => verdict switch
    {
        Verdicts.Verdict.Compatible => Compatible,
        Verdicts.Verdict.Tls12Only => Tls12Only,
        Verdicts.Verdict.ClientDependent => ClientDependent,
        Verdicts.Verdict.NoVisibleKey => NoVisibleKey,
        Verdicts.Verdict.Incompatible => Incompatible,
    };
}

/// <summary>A user-facing failure: printed as one line, never with a stack trace.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
