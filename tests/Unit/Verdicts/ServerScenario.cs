using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;
using TokenService.Verdicts.Findings;
using Xunit;

namespace TokenService.Tests.Unit.Verdicts;

/// <summary>
/// A token with one EC P-256 key (CKM_ECDSA: every client stack succeeds with it against a stock server) and a
/// client certificate issued by a named CA, evaluated against a chosen server model.
/// </summary>
internal static class ServerScenario
{
    /// <summary>The demo CA's subject as the server probe prints it (RFC 4514).</summary>
    public const string DemoCa = "CN=TokenService demo CA,O=TokenService lab";

    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<TokenSnapshot> DemoToken = new(() => EcP256Token(DemoCa));

    /// <summary>The token whose certificate the demo CA issued.</summary>
    public static TokenSnapshot Token => DemoToken.Value;

    public static TokenSnapshot EcP256Token(string issuer)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=card holder,O=TokenService lab", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.Create(
            new X500DistinguishedName(issuer), X509SignatureGenerator.CreateForECDsa(caKey), Now.AddYears(-1), Now.AddYears(1), [0x01]);

        var q = key.ExportParameters(includePrivateParameters: false).Q;
        byte[] point = [0x04, .. q.X!, .. q.Y!];
        var ecPoint = new AsnWriter(AsnEncodingRules.DER);
        ecPoint.WriteOctetString(point);
        var ecParams = new AsnWriter(AsnEncodingRules.DER);
        ecParams.WriteObjectIdentifier("1.2.840.10045.3.1.7");

        return new TokenSnapshot
        {
            SlotId = 1,
            Label = "ec-p256",
            Mechanisms =
            [
                new MechanismSnapshot(Mechanisms.EcKeyPairGen, 256, 521, MechanismSnapshot.FlagGenerateKeyPair),
                new MechanismSnapshot(Mechanisms.Ecdsa, 256, 521, MechanismSnapshot.FlagSign | MechanismSnapshot.FlagVerify),
            ],
            PrivateKeys = [new PrivateKeySnapshot { Handle = 1, Id = [0x01], Label = "auth", Kind = KeyKind.Ec, EcParams = [.. ecParams.Encode()], Sign = true, Private = true }],
            PublicKeys = [new PublicKeySnapshot { Handle = 2, Id = [0x01], Label = "auth", Kind = KeyKind.Ec, EcParams = [.. ecParams.Encode()], EcPoint = [.. ecPoint.Encode()] }],
            Certificates = [new CertificateSnapshot { Handle = 3, Id = [0x01], Label = "auth", Value = [.. certificate.RawData] }],
            Login = LoginOutcome.LoggedIn,
        };
    }

    /// <summary>Every client's prediction for the token's one key.</summary>
    public static ImmutableArray<ClientPrediction> Predict(ServerModel server, TokenSnapshot? token = null) =>
        Evaluate(server, token).Clients;

    public static KeyEvaluation Evaluate(ServerModel server, TokenSnapshot? token = null)
    {
        token ??= Token;
        var key = Assert.Single(KeyFacts.FromToken(token));
        Assert.True(key.CertificateMatchesKey, "the scenario's certificate must belong to its key");
        return VerdictEngine.Evaluate(key, new TokenMechanisms(token), server, Now, holdsEdDsa: false);
    }

    public static ImmutableArray<Problem> Problems(ServerModel server, TokenSnapshot? token = null)
    {
        token ??= Token;
        return KeyFindings.Find(Evaluate(server, token), new TokenMechanisms(token), server, Now);
    }

    public static Contracts.TokenEntry Report(ServerModel server, TokenSnapshot? token = null) =>
        ReportBuilder.BuildToken(token ?? Token, server, Now);

    public static ClientOutcome For(this ClientPrediction prediction, TlsVersion version) =>
        version == TlsVersion.Tls13 ? prediction.Tls13 : prediction.Tls12;
}
