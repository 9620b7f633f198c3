using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TokenService.Bench;
using TokenService.Contracts;
using TokenService.Tests.Hardware.Infrastructure;
using TokenService.VirtualCards;
using Xunit;

namespace TokenService.Tests.Hardware.VirtualCards;

/// <summary>
/// Virtual PIV and JPKI cards for the OpenSC tests: a test CA (with a TLS server certificate for handshake.sh) and
/// one provisioned state per card in a folder of its own; cards go into vpcd reader 0 in this process and are
/// read by real pcscd and OpenSC 0.23 (opensc-pkcs11.so) in child processes.
/// </summary>
public sealed class VirtualCardFixture : IAsyncLifetime, IDisposable
{
    public const string OpenSc = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
    public const string UserPin = "468135";
    public const string JpkiPin = "4681";
    public const string JpkiSignaturePin = "73950482";

    private X509Certificate2? _ca;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "tokenservice-vcards-" + Guid.NewGuid().ToString("N")[..8]);

    public string CaFile => Path.Combine(Directory, "ca", "ca.pem");

    public string PivPinFile => Path.Combine(Directory, "pin");

    public string JpkiPinFile => Path.Combine(Directory, "jpki-pin");

    /// <summary>The PKCS#11 token label OpenSC gives each card (pkcs15-piv.c: the first certificate's CN; pkcs15-jpki.c: "JPKI" and the PIN's name).</summary>
    internal static string TokenLabel(CardKind kind) => kind switch
    {
        CardKind.Piv => "TokenService PIV 9A",
        CardKind.PivEc => "TokenService PIV-EC 9A",
        _ => "JPKI (User Authentication PIN)",
    };

    internal string PinFileOf(CardKind kind) => kind == CardKind.Jpki ? JpkiPinFile : PivPinFile;

    public Task InitializeAsync()
    {
        Repo.Require(OpenSc, "opensc-pkcs11");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "ca"));
        var now = TimeProvider.System.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=TokenService vcard test CA, O=TokenService lab", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        _ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost, O=TokenService lab", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(_ca, now.AddDays(-1), now.AddMonths(6), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(Path.Combine(Directory, "ca", "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Directory, "ca", "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(PivPinFile, UserPin);
        File.WriteAllText(JpkiPinFile, JpkiPin);
        return Task.CompletedTask;
    }

    /// <summary>A freshly provisioned card of <paramref name="kind"/> (its own state file, full PIN counters).</summary>
    internal CardState Provision(CardKind kind)
    {
        var path = Path.Combine(Directory, $"{CardState.KindName(kind)}-{Guid.NewGuid():N}.json");
        var pins = kind == CardKind.Jpki ? new CardProvisioner.Pins(JpkiPin, JpkiSignaturePin) : new CardProvisioner.Pins(UserPin);
        return CardProvisioner.Provision(kind, path, pins, _ca!, TimeProvider.System);
    }

    /// <summary>Inserts a card with <paramref name="state"/> into vpcd reader 0 and waits until OpenSC lists its token.</summary>
    internal static async Task<InsertedCard> InsertAsync(CardState state)
    {
        var application = VirtualCardKinds.Application(state);
        var card = await VirtualCard.InsertAsync(VirtualReader.First, VirtualCardKinds.Atr(state.Kind), TimeSpan.FromSeconds(30), new CardEdge(application));
        var inserted = new InsertedCard(card, application);
        var label = TokenLabel(state.Kind);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        string listing;
        do
        {
            listing = (await ChildProcess.RunAsync("pkcs11-tool", ["--module", OpenSc, "-L"])).Stdout;
            if (listing.Contains(label, StringComparison.Ordinal))
            {
                return inserted;
            }

            await Task.Delay(200);
        }
        while (TimeProvider.System.GetUtcNow() < deadline);

        await inserted.DisposeAsync();
        throw new InvalidOperationException($"OpenSC did not list the token '{label}' within 20 s of the insertion into {VirtualReader.First.Name}:\n{listing}");
    }

    /// <summary>`tokenservice check` through opensc-pkcs11.so for the card's token.</summary>
    internal static async Task<(int ExitCode, TokenReport? Report, string Stderr)> CheckAsync(CardKind kind, params string[] extra)
    {
        // 7 (the PIN refused) still prints the report, made without login.
        List<string> args = ["check", "--module", OpenSc, "--token", TokenLabel(kind), "--format", "json", .. extra];
        var result = await ChildProcess.TokenServiceAsync(args);
        var report = result.ExitCode is 0 or 1 or 2 or 5 or 6 or 7 ? JsonSerializer.Deserialize(result.Stdout, ContractsJsonContext.Default.TokenReport) : null;
        return (result.ExitCode, report, result.Stderr);
    }

    internal static int TriesLeft(CardState state) =>
        JsonDocument.Parse(File.ReadAllText(state.Path)).RootElement.GetProperty("pins")[0].GetProperty("triesLeft").GetInt32();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _ca?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder; the next run makes its own
        }
    }
}

/// <summary>A virtual card in vpcd reader 0; disposing it is the removal.</summary>
internal sealed class InsertedCard : IAsyncDisposable
{
    private readonly VirtualCard _card;
    private readonly ICardApplication _application;

    internal InsertedCard(VirtualCard card, ICardApplication application)
    {
        _card = card;
        _application = application;
    }

    public ImmutableArray<byte> Atr => _card.Atr;

    public async ValueTask DisposeAsync()
    {
        await _card.DisposeAsync();
        (_application as IDisposable)?.Dispose();
        await Task.Delay(300); // pcscd polls vpcd: let it see the removal before the next card
    }
}
