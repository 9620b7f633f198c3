using System.Collections.Immutable;
using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.SelfTest;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;
using TokenService.Verdicts.Findings;

namespace TokenService.Reporting;

/// <summary>Maps engine values onto contract v1 records: the engine decides, this only spells its results.</summary>
internal static partial class ContractMapping
{
    private static readonly (ulong Flag, string Name)[] MechanismFlagNames =
    [
        (MechanismSnapshot.FlagHw, "CKF_HW"),
        (MechanismSnapshot.FlagEncrypt, "CKF_ENCRYPT"),
        (MechanismSnapshot.FlagDecrypt, "CKF_DECRYPT"),
        (MechanismSnapshot.FlagDigest, "CKF_DIGEST"),
        (MechanismSnapshot.FlagSign, "CKF_SIGN"),
        (MechanismSnapshot.FlagSignRecover, "CKF_SIGN_RECOVER"),
        (MechanismSnapshot.FlagVerify, "CKF_VERIFY"),
        (MechanismSnapshot.FlagVerifyRecover, "CKF_VERIFY_RECOVER"),
        (MechanismSnapshot.FlagGenerate, "CKF_GENERATE"),
        (MechanismSnapshot.FlagGenerateKeyPair, "CKF_GENERATE_KEY_PAIR"),
        (MechanismSnapshot.FlagWrap, "CKF_WRAP"),
        (MechanismSnapshot.FlagUnwrap, "CKF_UNWRAP"),
        (MechanismSnapshot.FlagDerive, "CKF_DERIVE"),
    ];

    public static ServerModelEntry Server(ServerModel server) => new()
    {
        Source = server.Source,
        Endpoint = server.Endpoint,
        Tls13Schemes = [.. server.Tls13Schemes.Select(SchemeName)],
        Tls12Schemes = [.. server.Tls12Schemes.Select(SchemeName)],
        MinRsaBits = server.MinRsaBits,
        CertificateAuthorities = server.CertificateAuthorities is { } cas ? [.. cas] : null,
        Tls13Accepted = server.AcceptsTls13,
        Tls12Accepted = server.AcceptsTls12,
        Tls13RequestsCertificate = server.RequestsCertificateTls13,
        Tls12RequestsCertificate = server.RequestsCertificateTls12,
    };

    public static string SchemeName(ushort code) => Tls.SignatureSchemeNames.NameOf(code);

    public static string Login(LoginOutcome login) => login switch
    {
        LoginOutcome.LoggedIn => "logged-in",
        LoginOutcome.RefusedByPolicy => "refused",
        LoginOutcome.Failed => "failed",
        LoginOutcome.NotAttempted => "not-attempted",
    };

    public static IReadOnlyList<MechanismEntry> Mechanisms(TokenSnapshot token) =>
    [
        .. token.Mechanisms.Select(m => Mechanism(m, listed: true)),
        .. token.UnlistedMechanismsAnswered.Select(m => Mechanism(m, listed: false)),
    ];

    private static MechanismEntry Mechanism(MechanismSnapshot m, bool listed) => new()
    {
        Name = Drivers.Snapshots.Mechanisms.NameOf(m.Type),
        Code = $"0x{m.Type:x8}",
        MinKeySize = m.MinKeySize,
        MaxKeySize = m.MaxKeySize,
        Flags = [.. MechanismFlagNames.Where(f => (m.Flags & f.Flag) != 0).Select(f => f.Name)],
        Listed = listed,
    };

    public static CertificateEntry? Certificate(KeyFacts key) => key.Certificate is not { } c ? null : new CertificateEntry
    {
        Label = key.CertificateObject?.Label,
        Id = key.CertificateObject is { } o ? Convert.ToHexStringLower(o.Id.AsSpan()) : "",
        Subject = c.Subject,
        Issuer = c.Issuer,
        SerialNumber = c.SerialNumber,
        NotBefore = c.NotBefore,
        NotAfter = c.NotAfter,
        KeyUsage = c.KeyUsage is { } ku ? [.. ku] : null,
        ExtendedKeyUsage = c.ExtendedKeyUsage is { } eku ? [.. eku] : null,
        PublicKeyAlgorithm = c.PublicKeyAlgorithm,
        MatchesKey = key.CertificateMatchesKey,
    };

    public static TlsCapabilityEntry Capability(ImmutableArray<SchemeEvaluation> evals) => new()
    {
        Capable = evals.Any(e => e.Usable),
        Schemes = [.. evals.Select(Scheme)],
    };

    private static SchemeEntry Scheme(SchemeEvaluation e) => new()
    {
        Name = e.Scheme.Name,
        Code = e.Scheme.CodeText,
        Usable = e.Usable,
        Route = e.Route?.MechanismName,
        HashedBy = e.Route is null ? null : e.Route.ClientHashes ? "client" : "token",
        PaddedBy = e.Route is null ? null : e.Route.ClientPads ? "client" : "token",
        Reasons = [.. e.Reasons],
    };

    public static ClientPredictionEntry Client(ClientPrediction p) => new()
    {
        Stack = p.Stack.Name,
        Basis = p.Stack.Basis,
        Tls13 = Outcome(p.Tls13),
        Tls12 = Outcome(p.Tls12),
    };

    private static ClientOutcomeEntry Outcome(ClientOutcome o) => new()
    {
        Outcome = o.Ok ? "ok" : "fail",
        Scheme = o.Scheme?.Name,
        Error = o.Error,
        Cause = o.Cause,
    };

    public static SelfTestEntry SelfTest(SelfTestOutcome o) => new()
    {
        Tls = o.Version == TlsVersion.Tls13 ? "1.3" : "1.2",
        Scheme = o.Scheme.Name,
        Route = o.Route?.MechanismName,
        Result = o.Result switch
        {
            SelfTestResult.Passed => "passed",
            SelfTestResult.Failed => "failed",
            SelfTestResult.NotAttempted => "not-attempted",
        },
        ReturnValue = o.ReturnValue,
        Detail = o.Detail,
    };

    public static ProblemEntry Problem(Problem p) => new() { Code = p.Code, Severity = ContractNames.Of(p.Severity), Message = p.Message };

    public static RemediationEntry Remedy(Remedy r) => new() { Code = r.Code, Side = ContractNames.Of(r.Side), Action = r.Action };
}
