using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;

namespace TokenService.Tests.Unit.SelfTest;

/// <summary>
/// A token made of software keys: its snapshot, as the inventory would have read it, and a signer that does
/// what a PKCS#11 token does for each mechanism (it pads for CKM_RSA_PKCS and CKM_RSA_PKCS_PSS, only raises
/// for CKM_RSA_X_509, answers r‖s for CKM_ECDSA). It can refuse mechanisms and spoil signatures on request.
/// </summary>
internal sealed class SoftwareToken : IDisposable
{
    public static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly RSA? _rsa;
    private TestRsaKey? _rsaKey;
    private readonly ECDsa? _ecdsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    private SoftwareToken(TokenSnapshot snapshot, RSA? rsa = null, ECDsa? ecdsa = null, Ed25519PrivateKeyParameters? ed25519 = null)
    {
        Snapshot = snapshot;
        _rsa = rsa;
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
    }

    public TokenSnapshot Snapshot { get; private set; }

    public List<SignRequest> Requests { get; } = [];

    /// <summary>Mechanisms C_SignInit refuses, with the CKR it returns.</summary>
    public Dictionary<ulong, string> Refusals { get; } = [];

    /// <summary>Flip a bit of every signature: the token "signs", the signature does not verify.</summary>
    public bool Spoil { get; set; }

    public PrivateKeySnapshot Key => Snapshot.PrivateKeys[0];

    public static SoftwareToken Rsa(params ulong[] mechanisms)
    {
        var testKey = TestRsaKey.OfSize(2048);
        var rsa = System.Security.Cryptography.RSA.Create(testKey.Full!.Value);
        var p = testKey.Public;
        var key = new PrivateKeySnapshot
        {
            Handle = 11, Id = [0x01], Label = "auth", Kind = KeyKind.Rsa, KeyType = 0x0,
            Modulus = [.. p.Modulus!], PublicExponent = [.. p.Exponent!], Sign = true, Private = true,
        };
        var cert = Certificate(new CertificateRequest("CN=software rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return new SoftwareToken(Token(mechanisms, key, null, cert), rsa: rsa) { _rsaKey = testKey };
    }

    public static SoftwareToken EcP256()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        var ecParams = Convert.FromHexString("06082a8648ce3d030107");
        var key = new PrivateKeySnapshot
        {
            Handle = 21, Id = [0x02], Label = "auth", Kind = KeyKind.Ec, KeyType = 0x3, EcParams = [.. ecParams], Sign = true,
        };
        var pub = new PublicKeySnapshot
        {
            Handle = 22, Id = [0x02], Kind = KeyKind.Ec, KeyType = 0x3, EcParams = [.. ecParams],
            EcPoint = OctetString([0x04, .. q.X!, .. q.Y!]),
        };
        var cert = Certificate(new CertificateRequest("CN=software ec", ecdsa, HashAlgorithmName.SHA256));
        return new SoftwareToken(Token([Mechanisms.Ecdsa], key, pub, cert), ecdsa: ecdsa);
    }

    /// <summary>An Ed25519 key and its public key object, and no certificate.</summary>
    public static SoftwareToken Ed25519()
    {
        var ed = new Ed25519PrivateKeyParameters(new SecureRandom());
        var ecParams = Convert.FromHexString("06032b6570");
        var key = new PrivateKeySnapshot
        {
            Handle = 31, Id = [0x03], Label = "auth", Kind = KeyKind.EcEdwards, KeyType = 0x40, EcParams = [.. ecParams], Sign = true,
        };
        var pub = new PublicKeySnapshot
        {
            Handle = 32, Id = [0x03], Kind = KeyKind.EcEdwards, KeyType = 0x40, EcParams = [.. ecParams],
            EcPoint = OctetString(ed.GeneratePublicKey().GetEncoded()),
        };
        return new SoftwareToken(Token([Mechanisms.Eddsa], key, pub, null), ed25519: ed);
    }

    public SoftwareToken WithLogin(LoginOutcome login, string? message)
    {
        Snapshot = Snapshot with { Login = login, LoginMessage = message };
        return this;
    }

    public ModuleSnapshot Module() => new() { ModulePath = "/software/token.so", Tokens = [Snapshot] };

    /// <summary>What <see cref="Pkcs11Signer.SignAll"/> would answer, one login assumed.</summary>
    public SignResult Sign(SignRequest request)
    {
        Requests.Add(request);
        return new SignResult { Login = LoginOutcome.LoggedIn, Items = [.. request.Items.Select(SignOne)] };
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    private SignItemResult SignOne(SignItem item)
    {
        if (Refusals.TryGetValue(item.Mechanism, out var refusal))
        {
            return SignItemResult.Refused("C_SignInit", refusal);
        }

        var data = item.Data.ToArray();
        byte[] signature;
        switch (item.Mechanism)
        {
            case Mechanisms.RsaPkcs:
                signature = _rsaKey!.Raise(Pkcs1Block(data, 256));
                break;
            case Mechanisms.RsaPkcsPss:
                // PKCS#11 v2.40 §2.1.14: hashAlg and mgf must agree, sLen as given; TLS wants sLen = hLen.
                var (name, mgf) = item.Pss!.HashAlgorithm switch
                {
                    Mechanisms.Sha256 => (HashAlgorithmName.SHA256, Mechanisms.MgfSha256),
                    Mechanisms.Sha384 => (HashAlgorithmName.SHA384, Mechanisms.MgfSha384),
                    Mechanisms.Sha512 => (HashAlgorithmName.SHA512, Mechanisms.MgfSha512),
                    _ => (default, 0UL),
                };
                if (mgf == 0 || item.Pss.Mgf != mgf || item.Pss.SaltLength != (ulong)data.Length)
                {
                    return SignItemResult.Refused("C_SignInit", "CKR_MECHANISM_PARAM_INVALID");
                }

                signature = _rsa!.SignHash(data, name, RSASignaturePadding.Pss);
                break;
            case Mechanisms.RsaX509:
                signature = _rsaKey!.Raise(data);
                break;
            case Mechanisms.Ecdsa:
                signature = _ecdsa!.SignHash(data, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                break;
            case Mechanisms.Eddsa:
                var signer = new Ed25519Signer();
                signer.Init(forSigning: true, _ed25519!);
                signer.BlockUpdate(data, 0, data.Length);
                signature = signer.GenerateSignature();
                break;
            default:
                return SignItemResult.Refused("C_SignInit", "CKR_MECHANISM_INVALID");
        }

        if (Spoil)
        {
            signature[^1] ^= 0x01;
        }

        return SignItemResult.Signed(signature);
    }

    /// <summary>EMSA-PKCS1-v1_5 around T (RFC 8017 §9.2 step 5): what a token adds for CKM_RSA_PKCS.</summary>
    private static byte[] Pkcs1Block(byte[] t, int k)
    {
        var em = new byte[k];
        em[1] = 0x01;
        em.AsSpan(2, k - t.Length - 3).Fill(0xFF);
        t.CopyTo(em, k - t.Length);
        return em;
    }

    private static TokenSnapshot Token(ulong[] mechanisms, PrivateKeySnapshot key, PublicKeySnapshot? pub, byte[]? certificate) => new()
    {
        SlotId = 5,
        Label = "software",
        SerialNumber = "0001",
        Flags = TokenFlags.TokenInitialized | TokenFlags.LoginRequired | TokenFlags.UserPinInitialized,
        Mechanisms = [.. mechanisms.Select(m => new MechanismSnapshot(m, 256, 4096, MechanismSnapshot.FlagSign | MechanismSnapshot.FlagVerify))],
        PrivateKeys = [key],
        PublicKeys = pub is null ? [] : [pub],
        Certificates = certificate is null ? [] : [new CertificateSnapshot { Handle = 99, Id = key.Id, Label = "auth", Value = [.. certificate] }],
        Login = LoginOutcome.LoggedIn,
    };

    private static byte[] Certificate(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var cert = request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(1));
        return cert.RawData;
    }

    private static ImmutableArray<byte> OctetString(byte[] value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(value);
        return [.. writer.Encode()];
    }
}
