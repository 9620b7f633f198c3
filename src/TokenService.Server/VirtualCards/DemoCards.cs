using System.Security.Cryptography.X509Certificates;
using TokenService.Hosting;

namespace TokenService.VirtualCards;

/// <summary>
/// The demo virtual cards: provisioned once under .tokenservice/vcards of the checkout (or <c>TOKENSERVICE_VCARDS</c>),
/// keys and certificates issued by the demo CA of the SoftHSM profiles (softhsm-config/provision.sh). The PIV PIN
/// (both PIV cards) is the first line of <c>pin</c>; the JPKI card's user authentication PIN (4 digits, as on a real
/// card) of <c>jpki-pin</c>, its signature PIN of <c>jpki-signature-pin</c>.
/// </summary>
internal static class DemoCards
{
    public const string PinFile = "pin";
    public const string JpkiPinFile = "jpki-pin";
    public const string JpkiSignaturePinFile = "jpki-signature-pin";

    /// <summary>The demo state of <paramref name="kind"/>, provisioned first when missing.</summary>
    /// <exception cref="DemoBenchException">No checkout, or the demo CA could not be made.</exception>
    public static async Task<string> PrepareAsync(CardKind kind, TextWriter progress, TimeProvider time, CancellationToken cancellationToken)
    {
        var folder = Folder();
        var path = Path.Combine(folder, CardState.KindName(kind) + ".json");
        if (File.Exists(path))
        {
            return path;
        }

        var bindings = await DemoBench.PrepareAsync(progress, cancellationToken);
        var caFolder = Path.Combine(Path.GetDirectoryName(bindings)!, "ca");
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(caFolder, "ca.pem"), Path.Combine(caFolder, "ca.key"));
        Directory.CreateDirectory(folder);
        var pins = kind == CardKind.Jpki
            ? new CardProvisioner.Pins(ReadOrCreatePin(folder, JpkiPinFile, 4), ReadOrCreatePin(folder, JpkiSignaturePinFile, 8))
            : new CardProvisioner.Pins(ReadOrCreatePin(folder, PinFile, 6));
        await progress.WriteLineAsync($"provisioning the demo {CardState.KindName(kind)} card into {path} (certificates by the demo CA {caFolder}/ca.pem) ...");
        CardProvisioner.Provision(kind, path, pins, ca, time);
        return path;
    }

    public static string Folder()
    {
        if (Environment.GetEnvironmentVariable("TOKENSERVICE_VCARDS") is { Length: > 0 } given)
        {
            return given;
        }

        var home = DemoBench.FindHome() ?? throw new DemoBenchException(
            $"no TokenService checkout found above {AppContext.BaseDirectory} for the demo cards: set TOKENSERVICE_HOME, or give --state FILE");
        return Path.Combine(home, ".tokenservice", "vcards");
    }

    private static string ReadOrCreatePin(string folder, string name, int digits)
    {
        var path = Path.Combine(folder, name);
        if (File.Exists(path) && File.ReadLines(path).FirstOrDefault() is { Length: > 0 } existing)
        {
            return existing.Trim();
        }

        var pin = CardProvisioner.RandomDigits(digits);
        // No newline, as softhsm-config/provision.sh writes its PIN: libp11's pin-source=file: takes the whole file.
        File.WriteAllText(path, pin);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return pin;
    }
}
