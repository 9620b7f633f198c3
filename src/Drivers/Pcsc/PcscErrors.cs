using System.Collections.Frozen;
using System.Globalization;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// SCARD_ return codes and the one table that names them (pcsc-lite pcsclite.h, "Error codes";
/// Microsoft winerror.h has the same values). Codes are kept as their low 32 bits: pcsc-lite's LONG is
/// 8 bytes on 64-bit Linux, where 0x8010000A stays positive, and 4 bytes on Windows and macOS, where it is
/// negative; truncating both to <see cref="uint"/> gives one value per code.
/// </summary>
internal static class PcscErrors
{
    public const uint Success = 0x00000000;
    public const uint InternalError = 0x80100001;
    public const uint Cancelled = 0x80100002;
    public const uint InvalidHandle = 0x80100003;
    public const uint InvalidParameter = 0x80100004;
    public const uint NoMemory = 0x80100006;
    public const uint InsufficientBuffer = 0x80100008;
    public const uint UnknownReader = 0x80100009;
    public const uint Timeout = 0x8010000A;
    public const uint SharingViolation = 0x8010000B;
    public const uint NoSmartcard = 0x8010000C;
    public const uint ProtocolMismatch = 0x8010000F;
    public const uint NotReady = 0x80100010;
    public const uint InvalidValue = 0x80100011;
    public const uint SystemCancelled = 0x80100012;
    public const uint CommError = 0x80100013;
    public const uint UnknownError = 0x80100014;
    public const uint ReaderUnavailable = 0x80100017;
    public const uint Shutdown = 0x80100018;
    public const uint NoService = 0x8010001D;
    public const uint ServiceStopped = 0x8010001E;
    public const uint UnsupportedFeature = 0x8010001F;
    public const uint NoReadersAvailable = 0x8010002E;
    public const uint UnsupportedCard = 0x80100065;
    public const uint UnresponsiveCard = 0x80100066;
    public const uint UnpoweredCard = 0x80100067;
    public const uint ResetCard = 0x80100068;
    public const uint SecurityViolation = 0x8010006A;
    public const uint RemovedCard = 0x80100069;

    private static readonly FrozenDictionary<uint, (string Name, string Meaning)> Table =
        new Dictionary<uint, (string, string)>
        {
            [Success] = ("SCARD_S_SUCCESS", "no error"),
            [InternalError] = ("SCARD_F_INTERNAL_ERROR", "an internal consistency check failed"),
            [Cancelled] = ("SCARD_E_CANCELLED", "the call was cancelled by SCardCancel"),
            [InvalidHandle] = ("SCARD_E_INVALID_HANDLE", "the context or card handle is not valid (for a context: the daemon was restarted)"),
            [InvalidParameter] = ("SCARD_E_INVALID_PARAMETER", "a parameter could not be interpreted"),
            [0x80100005] = ("SCARD_E_INVALID_TARGET", "registry startup information is missing or invalid"),
            [NoMemory] = ("SCARD_E_NO_MEMORY", "not enough memory"),
            [0x80100007] = ("SCARD_F_WAITED_TOO_LONG", "an internal consistency timer expired"),
            [InsufficientBuffer] = ("SCARD_E_INSUFFICIENT_BUFFER", "the buffer is too small for the returned data"),
            [UnknownReader] = ("SCARD_E_UNKNOWN_READER", "the reader name is not known"),
            [Timeout] = ("SCARD_E_TIMEOUT", "the timeout expired with no change"),
            [SharingViolation] = ("SCARD_E_SHARING_VIOLATION", "the card is held exclusively by another connection"),
            [NoSmartcard] = ("SCARD_E_NO_SMARTCARD", "no card is in the reader"),
            [0x8010000D] = ("SCARD_E_UNKNOWN_CARD", "the card name is not known"),
            [0x8010000E] = ("SCARD_E_CANT_DISPOSE", "the card cannot be disposed of as requested"),
            [ProtocolMismatch] = ("SCARD_E_PROTO_MISMATCH", "the requested protocols do not match the card's"),
            [NotReady] = ("SCARD_E_NOT_READY", "the reader or card is not ready"),
            [InvalidValue] = ("SCARD_E_INVALID_VALUE", "a parameter value could not be interpreted"),
            [SystemCancelled] = ("SCARD_E_SYSTEM_CANCELLED", "cancelled by the system (log off or shut down)"),
            [CommError] = ("SCARD_F_COMM_ERROR", "internal communication error (with pcscd: the daemon went away)"),
            [UnknownError] = ("SCARD_F_UNKNOWN_ERROR", "an internal error of unknown source"),
            [0x80100015] = ("SCARD_E_INVALID_ATR", "an ATR from the registry is not valid"),
            [0x80100016] = ("SCARD_E_NOT_TRANSACTED", "there is no transaction to end"),
            [ReaderUnavailable] = ("SCARD_E_READER_UNAVAILABLE", "the reader is not available (removed)"),
            [Shutdown] = ("SCARD_P_SHUTDOWN", "aborted because the resource manager is exiting"),
            [0x80100019] = ("SCARD_E_PCI_TOO_SMALL", "the PCI receive buffer is too small"),
            [0x8010001A] = ("SCARD_E_READER_UNSUPPORTED", "the reader driver does not meet minimal requirements"),
            [0x8010001B] = ("SCARD_E_DUPLICATE_READER", "the reader driver did not produce a unique name"),
            [0x8010001C] = ("SCARD_E_CARD_UNSUPPORTED", "the card does not meet minimal requirements"),
            [NoService] = ("SCARD_E_NO_SERVICE", "the resource manager (pcscd) is not running"),
            [ServiceStopped] = ("SCARD_E_SERVICE_STOPPED", "the resource manager (pcscd) has shut down"),
            // pcsc-lite gives SCARD_E_UNEXPECTED and SCARD_E_UNSUPPORTED_FEATURE the same value and never
            // returns the former (winscard_clnt.c, "Known differences"); Windows uses 0x80100022 for the latter.
            [UnsupportedFeature] = ("SCARD_E_UNSUPPORTED_FEATURE", "the feature is not supported"),
            [0x80100020] = ("SCARD_E_ICC_INSTALLATION", "no primary provider for the card"),
            [0x80100021] = ("SCARD_E_ICC_CREATEORDER", "the requested object creation order is not supported"),
            [0x80100022] = ("SCARD_E_UNSUPPORTED_FEATURE", "the feature is not supported (Windows value)"),
            [0x80100023] = ("SCARD_E_DIR_NOT_FOUND", "the directory does not exist on the card"),
            [0x80100024] = ("SCARD_E_FILE_NOT_FOUND", "the file does not exist on the card"),
            [0x80100025] = ("SCARD_E_NO_DIR", "the path is not a card directory"),
            [0x80100026] = ("SCARD_E_NO_FILE", "the path is not a card file"),
            [0x80100027] = ("SCARD_E_NO_ACCESS", "access to the file is denied"),
            [0x80100028] = ("SCARD_E_WRITE_TOO_MANY", "the card does not have enough memory"),
            [0x80100029] = ("SCARD_E_BAD_SEEK", "the card file pointer could not be set"),
            [0x8010002A] = ("SCARD_E_INVALID_CHV", "the PIN is incorrect"),
            [0x8010002B] = ("SCARD_E_UNKNOWN_RES_MNG", "an unrecognised code came from a layered component"),
            [0x8010002C] = ("SCARD_E_NO_SUCH_CERTIFICATE", "the certificate does not exist"),
            [0x8010002D] = ("SCARD_E_CERTIFICATE_UNAVAILABLE", "the certificate could not be obtained"),
            [NoReadersAvailable] = ("SCARD_E_NO_READERS_AVAILABLE", "no reader is connected"),
            [0x8010002F] = ("SCARD_E_COMM_DATA_LOST", "communication with the card lost data; retry"),
            [0x80100030] = ("SCARD_E_NO_KEY_CONTAINER", "the key container does not exist on the card"),
            [0x80100031] = ("SCARD_E_SERVER_TOO_BUSY", "the resource manager is too busy"),
            [UnsupportedCard] = ("SCARD_W_UNSUPPORTED_CARD", "the reader cannot talk to the card (ATR conflict)"),
            [UnresponsiveCard] = ("SCARD_W_UNRESPONSIVE_CARD", "the card does not answer a reset"),
            [UnpoweredCard] = ("SCARD_W_UNPOWERED_CARD", "the card was powered down"),
            [ResetCard] = ("SCARD_W_RESET_CARD", "the card was reset; shared state is invalid"),
            [RemovedCard] = ("SCARD_W_REMOVED_CARD", "the card was removed"),
            [0x8010006A] = ("SCARD_W_SECURITY_VIOLATION", "access denied by a security violation"),
            [0x8010006B] = ("SCARD_W_WRONG_CHV", "the wrong PIN was presented"),
            [0x8010006C] = ("SCARD_W_CHV_BLOCKED", "the PIN is blocked"),
            [0x8010006D] = ("SCARD_W_EOF", "the end of the card file was reached"),
            [0x8010006E] = ("SCARD_W_CANCELLED_BY_USER", "the user cancelled"),
            [0x8010006F] = ("SCARD_W_CARD_NOT_AUTHENTICATED", "no PIN was presented"),
        }.ToFrozenDictionary();

    /// <summary>The SCARD_ name of <paramref name="code"/>, or its hex value when the table does not know it.</summary>
    public static string Name(uint code) =>
        Table.TryGetValue(code, out var entry) ? entry.Name : "0x" + code.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>What <paramref name="code"/> means, in a few words.</summary>
    public static string Meaning(uint code) =>
        Table.TryGetValue(code, out var entry) ? entry.Meaning : "unknown PC/SC code";

    /// <summary>
    /// The codes after which a context is dead because the resource manager went away or restarted: the
    /// monitor releases its context and establishes a new one. SCARD_F_COMM_ERROR is what pcsc-lite's
    /// client returns when the daemon's socket closes under a blocked call. SCARD_W_SECURITY_VIOLATION is what
    /// pcsc-lite 1.9.9 answered to SCardListReaders while pcscd was shutting down (seen by bench-watch); if it
    /// ever means a lasting polkit refusal instead, the monitor retries with its capped backoff and reports
    /// the service as lost, which is what the user needs to see either way.
    /// </summary>
    public static bool IsServiceUnavailable(uint code) =>
        code is NoService or ServiceStopped or InvalidHandle or CommError or Shutdown or SecurityViolation;
}
