using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TokenService.Api;

/// <summary>The certificate and key <c>serve</c> speaks HTTPS with: PEM files (<see cref="ServeOptions.CertificateFile"/>, <see cref="ServeOptions.KeyFile"/>).</summary>
internal static class ServeCertificate
{
    /// <summary>
    /// Loads the certificate with its private key: the first certificate of <paramref name="certificateFile"/> and
    /// the key of <paramref name="keyFile"/> (or of the certificate file when null).
    /// </summary>
    /// <exception cref="CryptographicException">The files hold no usable certificate, no key, or a key of another certificate.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be read.</exception>
    public static X509Certificate2 Load(string certificateFile, string? keyFile)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException("no private key");
        }

        return certificate;
    }

    /// <summary>What is wrong with the HTTPS settings, or null when they are unset or load.</summary>
    public static string? Describe(string? certificateFile, string? keyFile)
    {
        if (certificateFile is null)
        {
            return keyFile is null ? null : "KeyFile is set without CertificateFile";
        }

        try
        {
            using var certificate = Load(certificateFile, keyFile);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // CreateFromPemFile says ArgumentException for a file without a PEM certificate or key.
            return $"cannot load a certificate with its private key from '{certificateFile}'"
                + (keyFile is null ? "" : $" and '{keyFile}'") + $": {e.Message}";
        }
    }
}
