using System.Collections.Immutable;
using TokenService.Certificates;
using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.Reporting;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.SmartCards;

/// <summary>
/// Judges a family's typical keys with the same engine `check` uses, as the family's middleware presents them:
/// its mechanism list and flags, a private key with CKA_SIGN (no CKA_ALLOWED_MECHANISMS, no per-signature PIN),
/// and a valid client certificate (digitalSignature, clientAuth) for that key. So the verdict isolates what the
/// card and middleware decide; a real card's certificate can still fail it.
/// </summary>
internal static class FamilyVerdicts
{
    /// <param name="targets">The client stacks each key's verdict answers for (`--clients`); every stack when null.</param>
    public static ImmutableArray<CardFamilyKeyEntry> Evaluate(CardFamily family, ServerModel server, DateTimeOffset now, ClientTargets? targets = null)
    {
        var token = new TokenSnapshot
        {
            SlotId = 0,
            Label = family.Id,
            Mechanisms = [.. family.Mechanisms.Select(m => new MechanismSnapshot(Mechanism(m.Name), m.MinKeySize, m.MaxKeySize, MechanismFlags.Of(m.Flags)))],
        };
        var mechanisms = new TokenMechanisms(token);
        return [.. family.Keys.Select(k => Evaluate(family, k, mechanisms, server, now, targets))];
    }

    private static CardFamilyKeyEntry Evaluate(CardFamily family, FamilyKey key, TokenMechanisms mechanisms, ServerModel server, DateTimeOffset now, ClientTargets? targets)
    {
        var kind = key.KeyType switch
        {
            "RSA" => KeyKind.Rsa,
            "EC" => KeyKind.Ec,
            _ => KeyKind.EcEdwards,
        };
        var facts = new KeyFacts
        {
            Key = new PrivateKeySnapshot { Handle = 1, Kind = kind, Sign = true, Private = true, Sensitive = true },
            Bits = key.Bits ?? Curves.FieldBits(key.Curve),
            Curve = key.Curve,
            CertificateObject = new CertificateSnapshot { Handle = 2 },
            Certificate = TypicalCertificate(family, kind, now),
            CertificateMatchesKey = true,
        };
        var judged = VerdictEngine.JudgeKey(VerdictEngine.Evaluate(facts, mechanisms, server, now, holdsEdDsa: kind == KeyKind.EcEdwards), mechanisms, server, now, targets);
        return new CardFamilyKeyEntry
        {
            KeyType = key.KeyType,
            Bits = key.Bits,
            Curve = key.Curve,
            Verdict = ContractNames.Of(judged.Verdict),
            ExpectedVerdict = key.ExpectedVerdict,
            Inferred = key.Inferred || family.MechanismsInferred,
            Clients = [.. judged.Evaluation.Clients.Select(ContractMapping.Client)],
        };
    }

    private static ulong Mechanism(string name) =>
        Mechanisms.TryParse(name, out var type) ? type : throw new InvalidDataException($"unknown mechanism {name}");

    /// <summary>A client certificate that passes every certificate rule (RFC 5280 §4.2.1.3, §4.2.1.12), valid a year either side of now.</summary>
    private static CertificateFacts TypicalCertificate(CardFamily family, KeyKind kind, DateTimeOffset now) => new()
    {
        Subject = $"CN={family.Id} typical key",
        Issuer = "CN=issuing CA",
        SerialNumber = "01",
        NotBefore = now.AddYears(-1),
        NotAfter = now.AddYears(1),
        KeyUsage = ["digitalSignature"],
        ExtendedKeyUsage = ["clientAuth"],
        PublicKeyAlgorithm = kind == KeyKind.Rsa ? CertificateFacts.RsaEncryption : CertificateFacts.EcPublicKey,
        SubjectPublicKey = [],
    };
}
