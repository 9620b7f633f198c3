using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TokenService.VirtualCards;

/// <summary>
/// Personalises a virtual card off-card, as an issuer does: generates each slot's key pair, has the CA issue its
/// certificate, and writes keys, certificates and PIN counters to the state file.
/// </summary>
internal static class CardProvisioner
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The PINs of a new card: the user PIN (PIV PIN; JPKI user authentication PIN) and JPKI's signature PIN.</summary>
    internal sealed record Pins(string User, string? Signature = null);

    /// <summary>How many tries a fresh PIN has: PIV 3 (a common issuer default), JPKI 3 and 5 (jpki.h).</summary>
    public const int PivPinTries = 3;

    /// <summary>Writes a new state file at <paramref name="path"/> for a card of <paramref name="kind"/> issued by <paramref name="ca"/>.</summary>
    public static CardState Provision(CardKind kind, string path, Pins pins, X509Certificate2 ca, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var keys = new List<KeyRecord>();
        List<PinRecord> pinRecords;
        switch (kind)
        {
            case CardKind.Piv or CardKind.PivEc:
                var ec = kind == CardKind.PivEc;
                // OpenSC names a PIV token after the CN of its first certificate (pkcs15-piv.c), 32 characters at most.
                var label = ec ? "PIV-EC" : "PIV";
                // SP 800-73-4 Part 1 §3.1: 9A PIV authentication, 9C digital signature, 9D key management, 9E card authentication.
                keys.Add(Issue("9A", ec ? 256 : 2048, ec, $"TokenService {label} 9A", X509KeyUsageFlags.DigitalSignature, clientAuth: true, ca, now));
                keys.Add(Issue("9C", ec ? 384 : 2048, ec, $"TokenService {label} 9C", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, clientAuth: false, ca, now));
                keys.Add(Issue("9D", ec ? 256 : 2048, ec, $"TokenService {label} 9D", ec ? X509KeyUsageFlags.KeyAgreement : X509KeyUsageFlags.KeyEncipherment, clientAuth: false, ca, now));
                keys.Add(Issue("9E", ec ? 384 : 2048, ec, $"TokenService {label} 9E", X509KeyUsageFlags.DigitalSignature, clientAuth: true, ca, now));
                pinRecords = [new PinRecord { Reference = PivApplication.PinReference, Value = pins.User, MaxTries = PivPinTries, TriesLeft = PivPinTries }];
                break;
            default:
                keys.Add(Issue(JpkiApplication.AuthenticationCertificate, 2048, ec: false, "TokenService JPKI authentication", X509KeyUsageFlags.DigitalSignature, clientAuth: true, ca, now));
                keys.Add(Issue(JpkiApplication.SignatureCertificate, 2048, ec: false, "TokenService JPKI signature", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, clientAuth: false, ca, now));
                keys.Add(new KeyRecord { Reference = JpkiApplication.AuthenticationCaCertificate, Certificate = ca.RawData });
                keys.Add(new KeyRecord { Reference = JpkiApplication.SignatureCaCertificate, Certificate = ca.RawData });
                pinRecords =
                [
                    new PinRecord { Reference = JpkiApplication.AuthenticationPin, Value = pins.User, MaxTries = 3, TriesLeft = 3 },
                    new PinRecord { Reference = JpkiApplication.SignaturePin, Value = pins.Signature ?? pins.User, MaxTries = 5, TriesLeft = 5 },
                ];
                break;
        }

        return CardState.Create(path, new CardStateDocument
        {
            Kind = CardState.KindName(kind),
            Guid = RandomNumberGenerator.GetBytes(16),
            Pins = pinRecords,
            Keys = keys,
        });
    }

    /// <summary><paramref name="count"/> random decimal digits.</summary>
    public static string RandomDigits(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));

    private static KeyRecord Issue(string reference, int size, bool ec, string commonName, X509KeyUsageFlags usage, bool clientAuth, X509Certificate2 ca, DateTimeOffset now)
    {
        using AsymmetricAlgorithm key = ec
            ? ECDsa.Create(size == 384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256)
            : RSA.Create(size);
        var subject = new X500DistinguishedName($"CN={commonName}, O=TokenService lab");
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        if (clientAuth)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        // The demo CA holds an EC key whatever the card's key is: sign with a generator for the CA's own key type.
        using var caEc = ca.GetECDsaPrivateKey();
        using var caRsa = caEc is null ? ca.GetRSAPrivateKey() : null;
        var generator = caEc is not null
            ? X509SignatureGenerator.CreateForECDsa(caEc)
            : X509SignatureGenerator.CreateForRSA(caRsa ?? throw new ArgumentException("the CA certificate has no private key", nameof(ca)), RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(ca.SubjectName, generator, now.AddDays(-1), now.AddYears(2), serial);
        return new KeyRecord { Reference = reference, PrivateKey = key.ExportPkcs8PrivateKey(), Certificate = certificate.RawData };
    }
}
