using TokenService.Contracts;
using TokenService.Text;
using TokenService.Verdicts.Findings;

namespace TokenService.Reporting;

/// <summary>
/// The words and inks the check table and the watch screen share for a report: the verdict badge, the key's size
/// label, the severity mark and the certificate pairing. One definition, so the two views cannot drift apart.
/// </summary>
internal static class ReportText
{
    /// <summary>A name that is no verdict (a report from another version) is shown as it came, never as another verdict.</summary>
    public static Painted Verdict(string verdict) => !ContractNames.TryParseVerdict(verdict, out var known)
        ? new(Ink.Red | Ink.Bold, verdict.ToUpperInvariant())
        : known switch
        {
            Verdicts.Verdict.Compatible => new(Ink.Green | Ink.Bold, "COMPATIBLE"),
            Verdicts.Verdict.Tls12Only => new(Ink.Yellow | Ink.Bold, "TLS 1.2 ONLY"),
            Verdicts.Verdict.ClientDependent => new(Ink.Yellow | Ink.Bold, "CLIENT-DEPENDENT"),
            Verdicts.Verdict.NoVisibleKey => new(Ink.Yellow | Ink.Bold, "NO VISIBLE KEY"),
            Verdicts.Verdict.Incompatible => new(Ink.Red | Ink.Bold, "INCOMPATIBLE"),
        };

    /// <summary>A verdict seen without login: said on the same line, so that no one takes it for a confirmed one.</summary>
    public static Painted Unconfirmed(bool confirmed) =>
        confirmed ? new(Ink.None, "") : new(Ink.Yellow, " (unconfirmed: the PIN would show the private key's attributes)");

    /// <summary>`RSA-2048`, `EC secp256r1`, `Ed25519` (or `EdDSA` when the curve is unknown), else the key type.</summary>
    public static string KeySize(KeyEntry key) => key.KeyType switch
    {
        "RSA" => $"RSA-{key.Bits}",
        "EC" => $"EC {key.Curve}",
        "EC_EDWARDS" => key.Curve ?? "EdDSA",
        _ => key.KeyType,
    };

    public static Painted Mark(string severity) => !ContractNames.TryParseSeverity(severity, out var known)
        ? new(Ink.Red, "?")
        : known switch
        {
            Severity.Error => new(Ink.Red, "x"),
            Severity.Warning => new(Ink.Yellow, "!"),
            Severity.Info => new(Ink.Dim, "i"),
        };

    public static Painted YesNo(bool yes) => yes ? new(Ink.Green, "yes") : new(Ink.Red, "no");

    /// <summary>
    /// How the certificate belongs to the key: nothing to say when its public key was compared and matches;
    /// `unverified` when it was paired by CKA_ID only (the token exposes no public key to compare with);
    /// `NOT this key's certificate` only when the keys were compared and differ.
    /// </summary>
    public static Painted? CertificatePairing(KeyEntry key)
    {
        if (key.Certificate is not { } certificate || certificate.MatchesKey)
        {
            return null;
        }

        return key.Problems.Any(p => p.Code == ProblemCodes.CertificateKeyUnverified)
            ? new Painted(Ink.Yellow, "unverified: paired by CKA_ID only")
            : new Painted(Ink.Red, "NOT this key's certificate");
    }
}
