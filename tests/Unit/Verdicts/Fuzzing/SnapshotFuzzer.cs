using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenService.Drivers.Snapshots;
using TokenService.Tests.Unit.Reporting;
using TokenService.Tests.Unit.TestData;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;
using M = TokenService.Drivers.Snapshots.Mechanisms;

namespace TokenService.Tests.Unit.Verdicts.Fuzzing;

/// <summary>
/// Makes hostile but well-typed snapshots from a seeded <see cref="Random"/>: what a broken or malicious module could
/// hand the engine through the driver. Every byte string the engine parses (CKA_VALUE certificates, CKA_EC_PARAMS,
/// CKA_EC_POINT, CKA_MODULUS) is drawn from valid values, the same values truncated or with bytes changed, and random
/// bytes; mechanism lists, key attributes, token flags and the server model are drawn the same way. The material it
/// mutates is deterministic (fixed keys, RSA PKCS#1 v1.5 signatures), so one seed always gives the same cases.
/// </summary>
internal sealed class SnapshotFuzzer(Random random)
{
    private static readonly Lazy<Material> Seeds = new(Material.Create);

    private static readonly ulong[] KnownMechanisms =
    [
        M.RsaPkcsKeyPairGen, M.RsaPkcs, M.RsaX509, M.Sha1RsaPkcs, M.RsaPkcsOaep, M.RsaPkcsPss, M.Sha1RsaPkcsPss,
        M.Sha256RsaPkcs, M.Sha384RsaPkcs, M.Sha512RsaPkcs, M.Sha256RsaPkcsPss, M.Sha384RsaPkcsPss, M.Sha512RsaPkcsPss,
        M.Sha224RsaPkcs, M.Sha224RsaPkcsPss, M.Sha1, M.Sha256, M.Sha384, M.Sha512, M.EcKeyPairGen, M.Ecdsa, M.EcdsaSha1,
        M.EcdsaSha224, M.EcdsaSha256, M.EcdsaSha384, M.EcdsaSha512, M.EcEdwardsKeyPairGen, M.Eddsa,
    ];

    private static readonly string[] CurveOids =
    [
        Oids.P256, Oids.P384, Oids.P521, Oids.Secp256k1, Oids.BrainpoolP256, "1.3.36.3.3.2.8.1.1.11", "1.3.36.3.3.2.8.1.1.13",
        Oids.Ed25519, "1.3.101.113", "1.3.6.1.4.1.11591.15.1", "1.2.3.4", "2.999.1",
    ];

    private static readonly ushort[] KnownSchemes =
    [
        0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b,
        0x0201, 0x0203, 0x0301, 0x0303, 0x0420, 0x0520, 0x0620, 0x081a, 0x081b, 0x081c,
    ];

    private static readonly ulong[] Sizes = [0, 1, 255, 256, 384, 521, 1024, 2048, 3072, 4096, 16384, uint.MaxValue, ulong.MaxValue];

    /// <summary>The valid certificates the cases start from (before truncation and mutation).</summary>
    public static ImmutableArray<ImmutableArray<byte>> SeedCertificates => Seeds.Value.Certificates;

    public ModuleSnapshot Module()
    {
        var tokens = Enumerable.Range(0, random.Next(1, 4)).Select(i => Token((ulong)i)).ToImmutableArray();
        return new ModuleSnapshot { ModulePath = "/fuzz/module.so", Tokens = tokens };
    }

    public ServerModel Server()
    {
        var server = random.Next(4) switch
        {
            0 => ServerModel.StockOpenSsl3,
            1 => ServerModel.Given(Schemes()),
            _ => ServerModel.StockOpenSsl3 with { Source = ServerModel.ProbedSource, Endpoint = "fuzz:443", Tls13Schemes = Schemes(), Tls12Schemes = Schemes() },
        };
        return server with
        {
            MinRsaBits = Pick(0, 1024, 2048, 4096, random.Next(-10, 100_000)),
            RequiresClientCurveOfferedInTls12 = Chance(0.5),
            CertificateAuthorities = random.Next(3) switch
            {
                0 => null,
                1 => [Seeds.Value.IssuerName, .. Strings(0, 3)],
                _ => [.. Strings(0, 4)],
            },
            AcceptsTls13 = Chance(0.85),
            AcceptsTls12 = Chance(0.85),
            RequestsCertificateTls13 = Chance(0.85),
            RequestsCertificateTls12 = Chance(0.85),
        };
    }

    public ClientTargets Targets()
    {
        var chosen = ClientStacks.All.Where(_ => Chance(0.6)).ToImmutableArray();
        return chosen.IsEmpty ? ClientTargets.All : new ClientTargets(chosen);
    }

    /// <summary>What a self-test could have seen fail, for some of the module's keys.</summary>
    public ISigningEvidence Evidence(ModuleSnapshot module)
    {
        var failures = new Dictionary<PrivateKeySnapshot, ImmutableArray<ObservedSigningFailure>>(ReferenceEqualityComparer.Instance);
        foreach (var key in module.Tokens.SelectMany(t => t.PrivateKeys).Where(_ => Chance(0.3)))
        {
            failures[key] = [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => new ObservedSigningFailure(
                Mechanism(), Chance(0.8) ? Pick(KnownSchemes) : (ushort)random.Next(ushort.MaxValue + 1), Chance(0.5) ? "CKR_MECHANISM_INVALID" : null))];
        }

        return new FixedEvidence(failures);
    }

    private TokenSnapshot Token(ulong slot)
    {
        var privateKeys = Enumerable.Range(0, random.Next(0, 4)).Select(i => PrivateKey((ulong)(10 + i))).ToImmutableArray();
        var publicKeys = Enumerable.Range(0, random.Next(0, 4)).Select(i => PublicKey((ulong)(20 + i))).ToImmutableArray();
        var certificates = Enumerable.Range(0, random.Next(0, 4)).Select(i => Certificate((ulong)(30 + i))).ToImmutableArray();
        var flags = random.Next(5) switch
        {
            0 => (ulong)random.NextInt64(),
            1 => TokenBuilder.DefaultFlags | TokenFlags.UserPinLocked | TokenFlags.UserPinFinalTry | TokenFlags.UserPinCountLow,
            2 => TokenFlags.TokenInitialized,
            _ => TokenBuilder.DefaultFlags,
        };
        return new TokenSnapshot
        {
            SlotId = slot,
            SlotDescription = Text(),
            Label = Text(),
            SerialNumber = Text(),
            Flags = flags,
            Mechanisms = MechanismList(),
            UnlistedMechanismsAnswered = Chance(0.2) ? MechanismList() : [],
            PrivateKeys = privateKeys,
            PublicKeys = publicKeys,
            Certificates = certificates,
            Login = Pick(LoginOutcome.NotAttempted, LoginOutcome.LoggedIn, LoginOutcome.LoggedIn, LoginOutcome.RefusedByPolicy, LoginOutcome.Failed),
            LoginMessage = Chance(0.3) ? Text() : null,
        };
    }

    private ImmutableArray<MechanismSnapshot> MechanismList() =>
    [
        .. Enumerable.Range(0, random.Next(0, 14)).Select(_ => new MechanismSnapshot(
            Mechanism(),
            Chance(0.7) ? Pick(Sizes) : (ulong)random.NextInt64(),
            Chance(0.7) ? Pick(Sizes) : (ulong)random.NextInt64(),
            random.Next(4) switch
            {
                0 => (ulong)random.NextInt64(),
                1 => 0,
                _ => MechanismSnapshot.FlagSign | (Chance(0.5) ? MechanismSnapshot.FlagHw : 0) | (Chance(0.5) ? MechanismSnapshot.FlagVerify : 0),
            })),
    ];

    private ulong Mechanism() => Chance(0.85) ? Pick(KnownMechanisms) : (ulong)random.NextInt64();

    private PrivateKeySnapshot PrivateKey(ulong handle)
    {
        var kind = Kind();
        var (modulus, exponent) = RsaParts();
        return new PrivateKeySnapshot
        {
            Handle = handle,
            Id = Id(),
            Label = Chance(0.2) ? null : Text(),
            Kind = kind,
            KeyType = Chance(0.8) ? (ulong)kind : (ulong)random.NextInt64(),
            Modulus = Chance(0.7) ? modulus : [],
            PublicExponent = Chance(0.7) ? exponent : [],
            EcParams = EcParams(),
            Sign = Chance(0.8),
            AlwaysAuthenticate = Chance(0.2),
            Private = Chance(0.7),
            Sensitive = Chance(0.7),
            Extractable = Chance(0.1),
            AllowedMechanisms = random.Next(4) switch
            {
                0 => [.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => Mechanism())],
                1 => default,
                _ => [],
            },
        };
    }

    private PublicKeySnapshot PublicKey(ulong handle)
    {
        var kind = Kind();
        var (modulus, exponent) = RsaParts();
        return new PublicKeySnapshot
        {
            Handle = handle,
            Id = Id(),
            Label = Chance(0.2) ? null : Text(),
            Kind = kind,
            KeyType = (ulong)kind,
            Modulus = modulus,
            PublicExponent = exponent,
            ModulusBits = random.Next(3) switch
            {
                0 => null,
                1 => Pick(0, 1024, 2048, 4096),
                _ => random.Next(int.MinValue, int.MaxValue),
            },
            EcParams = EcParams(),
            EcPoint = EcPoint(),
        };
    }

    private CertificateSnapshot Certificate(ulong handle) => new()
    {
        Handle = handle,
        Id = Id(),
        Label = Chance(0.2) ? null : Text(),
        Value = Der(Pick(Seeds.Value.Certificates)),
    };

    private KeyKind Kind() => Pick(KeyKind.Rsa, KeyKind.Rsa, KeyKind.Ec, KeyKind.Ec, KeyKind.EcEdwards, KeyKind.Other);

    /// <summary>CKA_ID from a small alphabet, so that objects pair by CKA_ID often.</summary>
    private ImmutableArray<byte> Id() => random.Next(4) switch
    {
        0 => [],
        1 => default,
        _ => [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => (byte)random.Next(3))],
    };

    private (ImmutableArray<byte> Modulus, ImmutableArray<byte> Exponent) RsaParts() => random.Next(5) switch
    {
        0 => (Seeds.Value.RsaModulus, Seeds.Value.RsaExponent),
        1 => (Mutate(Seeds.Value.RsaModulus), Mutate(Seeds.Value.RsaExponent)),
        2 => ([.. new byte[random.Next(0, 300)]], [0]),
        3 => (default, default),
        _ => (Bytes(0, 600), Bytes(0, 8)),
    };

    private ImmutableArray<byte> EcParams()
    {
        ImmutableArray<byte> valid = random.Next(4) switch
        {
            0 => Printable(Pick("edwards25519", "ed448", "edwards448", "x25519", "")),
            _ => [.. TestKey.DerOid(Pick(CurveOids))],
        };
        return random.Next(6) switch
        {
            0 => [],
            1 => Bytes(0, 40),
            2 => [.. valid, .. Bytes(1, 4)],
            3 => Mutate([.. valid]),
            _ => [.. valid],
        };
    }

    private ImmutableArray<byte> EcPoint()
    {
        var bare = Pick(Seeds.Value.Points);
        return random.Next(7) switch
        {
            0 => [.. TestKey.DerOctetString(bare.AsSpan())],
            1 => bare,
            2 => [.. TestKey.DerOctetString(TestKey.DerOctetString(bare.AsSpan()))],
            3 => Mutate([.. TestKey.DerOctetString(bare.AsSpan())]),
            4 => [0x04, .. Bytes(0, 140)],
            5 => [],
            _ => Bytes(0, 140),
        };
    }

    private ImmutableArray<byte> Der(ImmutableArray<byte> valid) => random.Next(8) switch
    {
        0 or 1 => valid,
        2 => valid[..random.Next(valid.Length)],
        3 => Bytes(0, 400),
        4 => [],
        _ => Mutate(valid),
    };

    /// <summary>Changes, inserts or removes a few bytes, or overwrites a stretch: lengths and tags that lie.</summary>
    private ImmutableArray<byte> Mutate(ImmutableArray<byte> value)
    {
        if (value.IsDefaultOrEmpty)
        {
            return Bytes(0, 8);
        }

        var bytes = value.ToList();
        for (var n = random.Next(1, 6); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, Pick<byte>(0x00, 0x30, 0x06, 0x04, 0x03, 0x80, 0x81, 0x82, 0x84, 0xff, (byte)random.Next(256)));
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    for (var i = at; i < Math.Min(bytes.Count, at + random.Next(1, 32)); i++)
                    {
                        bytes[i] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private ImmutableArray<ushort> Schemes() =>
        [.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => Chance(0.85) ? Pick(KnownSchemes) : (ushort)random.Next(ushort.MaxValue + 1))];

    private IEnumerable<string> Strings(int min, int max) => Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Text());

    /// <summary>Labels and names: empty, ordinary, RFC 4514-looking, control characters, unpaired surrogates.</summary>
    private string Text() => random.Next(6) switch
    {
        0 => "",
        1 => "Authentication",
        2 => Pick("CN=x", "CN=TokenService Test CA, O=TokenService Tests", "=,+;\\", "CN=\"", "CN=a+CN=b", "CN=#04", "CN=\\"),
        3 => "k\u001b[31mRED\u0007\r\n\u009b\u202e",
        4 => new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0x20, 0x7f))]),
        _ => new string([.. Enumerable.Range(0, random.Next(0, 20)).Select(_ => (char)random.Next(0, 0x10000))]),
    };

    private static ImmutableArray<byte> Printable(string text)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.PrintableString, text);
        return [.. writer.Encode()];
    }

    private ImmutableArray<byte> Bytes(int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return [.. bytes];
    }

    private bool Chance(double p) => random.NextDouble() < p;

    private T Pick<T>(params T[] values) => values[random.Next(values.Length)];

    private T Pick<T>(ImmutableArray<T> values) => values[random.Next(values.Length)];

    private sealed class FixedEvidence(Dictionary<PrivateKeySnapshot, ImmutableArray<ObservedSigningFailure>> failures) : ISigningEvidence
    {
        public ImmutableArray<ObservedSigningFailure> FailuresFor(TokenSnapshot token, PrivateKeySnapshot key) =>
            failures.GetValueOrDefault(key, []);
    }

    /// <summary>Valid values to start from: certificates of fixed keys, their public parts and points.</summary>
    private sealed record Material(
        ImmutableArray<ImmutableArray<byte>> Certificates,
        ImmutableArray<byte> RsaModulus,
        ImmutableArray<byte> RsaExponent,
        ImmutableArray<ImmutableArray<byte>> Points,
        string IssuerName)
    {
        public static Material Create()
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(FixedKeys.RsaPrivateKeyPem);
            using var ec = ECDsa.Create();
            ec.ImportFromPem(FixedKeys.EcPrivateKeyPem);
            var rsaKey = TestKey.FromRsa("fuzz-rsa", rsa.ExportParameters(false));
            var ecKey = TestKey.FromEc("fuzz-p256", Oids.P256, ec.ExportParameters(false));
            var issuer = new X500DistinguishedName("CN=Fuzz CA, O=TokenService Tests");
            var signer = X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
            ImmutableArray<byte> Issue(TestKey key, CertificateSpec spec, byte serial) => TestCa.Issue(key, spec, issuer, signer, [0x01, serial]);
            return new Material(
                [
                    .. OddCertificates(rsaKey, ecKey, issuer, signer),
                    Issue(rsaKey, CertificateSpec.ClientAuth, 1),
                    Issue(ecKey, CertificateSpec.ClientAuth with { ExtendedKeyUsage = [Oids.ClientAuth, Oids.SmartcardLogon] }, 2),
                    Issue(TestKeys.Ed25519, CertificateSpec.ClientAuth, 3),
                    Issue(ecKey, CertificateSpec.ClientAuth with { CertificateAuthority = true, KeyUsage = X509KeyUsageFlags.KeyCertSign }, 4),
                    Issue(rsaKey, CertificateSpec.Expired with { ExtendedKeyUsage = [Oids.ServerAuth] }, 5),
                    Issue(rsaKey.AsRsaPssCertified(), CertificateSpec.ClientAuth with { KeyUsage = null, ExtendedKeyUsage = null }, 6),
                ],
                rsaKey.Modulus,
                rsaKey.PublicExponent,
                [ecKey.BarePoint, TestKeys.Ed25519.BarePoint, [0x04], [.. new byte[65]]],
                "CN=Fuzz CA, O=TokenService Tests");
        }

        /// <summary>
        /// Well-formed certificates with odd contents, which mutated DER rarely reaches: any keyUsage and EKU mix,
        /// validity at the ends of UTCTime and GeneralizedTime, names with controls and multi-valued RDNs, and
        /// SubjectPublicKeyInfos that lie (an unknown algorithm, explicit EC parameters, key bits that are no key).
        /// Made from a fixed seed of their own, signed deterministically.
        /// </summary>
        private static IEnumerable<ImmutableArray<byte>> OddCertificates(TestKey rsaKey, TestKey ecKey, X500DistinguishedName issuer, X509SignatureGenerator signer)
        {
            var random = new Random(4514);
            string[] subjects = ["CN=a+O=b, C=DE", "", "CN=\u001b[8mhidden", "CN=#04020000", "E=x@example.org, CN=\"quoted, comma\"", "O=\u202eevil"];
            string[] ekus = [Oids.ClientAuth, Oids.ServerAuth, Oids.AnyExtendedKeyUsage, Oids.SmartcardLogon, "1.2.3.4.5"];
            (DateTimeOffset From, DateTimeOffset Until)[] validities =
            [
                (TestClock.ValidFrom, TestClock.ValidUntil),
                (new(1950, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2049, 12, 31, 23, 59, 59, TimeSpan.Zero)),
                (new(1, 1, 1, 0, 0, 0, TimeSpan.Zero), new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero)),
                (TestClock.Now, TestClock.Now),
            ];
            for (var i = 0; i < 48; i++)
            {
                var key = (i % 8) switch
                {
                    0 => rsaKey,
                    1 => ecKey,
                    2 => TestKeys.Ed25519,
                    3 => rsaKey.AsRsaPssCertified(),
                    4 => ecKey with { CertificateKey = new PublicKey(new Oid("1.2.840.10045.2.1"), new AsnEncodedData([0x30, 0x03, 0x02, 0x01, 0x01]), new AsnEncodedData(ecKey.BarePoint.ToArray())) },
                    5 => rsaKey with { CertificateKey = new PublicKey(new Oid("1.2.840.113549.1.1.1"), new AsnEncodedData([0x05, 0x00]), new AsnEncodedData(RandomBytes(random, 64))) },
                    6 => ecKey with { CertificateKey = new PublicKey(new Oid("1.2.840.10045.2.1"), new AsnEncodedData(TestKey.DerOid(CurveOids[random.Next(CurveOids.Length)])), new AsnEncodedData(RandomBytes(random, 97))) },
                    _ => rsaKey with { CertificateKey = new PublicKey(new Oid("1.2.3.4"), null, new AsnEncodedData(RandomBytes(random, 16))) },
                };
                var (from, until) = validities[random.Next(validities.Length)];
                var spec = new CertificateSpec
                {
                    Subject = subjects[random.Next(subjects.Length)],
                    KeyUsage = random.Next(4) == 0 ? null : (X509KeyUsageFlags)random.Next(0x10000),
                    ExtendedKeyUsage = random.Next(4) == 0 ? null : [.. ekus.Where(_ => random.Next(2) == 0)],
                    NotBefore = from,
                    NotAfter = until,
                    CertificateAuthority = random.Next(4) == 0,
                };
                ImmutableArray<byte>? made = null;
                try
                {
                    made = TestCa.Issue(key, spec, issuer, signer, [0x02, (byte)i]);
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException)
                {
                    // A combination .NET refuses to encode is no case for the engine.
                }

                if (made is { } der)
                {
                    yield return der;
                }
            }
        }

        private static byte[] RandomBytes(Random random, int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }
    }
}
