using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenService.Drivers.OpenSsl;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts.Clients;

namespace TokenService.Handshake;

/// <summary>The token key to prove: where it is, what it is, and the certificate to send with it.</summary>
/// <param name="KeyUri">RFC 7512 URI of the private key, without a PIN (<see cref="Pkcs11KeyUri"/>).</param>
/// <param name="Certificate">DER of the certificate to present (the token's, or --cert-file).</param>
internal sealed record TokenKey(string ModulePath, string KeyUri, KeyKind Kind, ReadOnlyMemory<byte> Certificate);

/// <summary>
/// Loads the token key through OpenSSL's pkcs11 engine and makes the handshake with it through SslStream
/// (<see cref="ClientHandshake"/>). Whatever the client itself refuses before connecting is an outcome too,
/// with evidence <see cref="HandshakeEvidence.NotAttempted"/>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class TokenKeyHandshake
{
    /// <summary>CK_RVs after which the engine could not even log in: the token or PIN, not the key, is the problem.</summary>
    private static readonly HashSet<ulong> InfrastructureReturnValues =
    [
        0x32, // CKR_DEVICE_REMOVED
        0xA0, // CKR_PIN_INCORRECT
        0xA1, // CKR_PIN_INVALID
        0xA2, // CKR_PIN_LEN_RANGE
        0xA3, // CKR_PIN_EXPIRED
        0xA4, // CKR_PIN_LOCKED
        0xE0, // CKR_TOKEN_NOT_PRESENT
    ];

    /// <summary>Makes the handshake; <paramref name="pin"/> is cleared as soon as the engine holds its copy.</summary>
    /// <exception cref="OpenSslEngineException">The engine is missing, or refused the token or the PIN.</exception>
    /// <exception cref="ServerUnavailableException">See <see cref="ClientHandshake.RunAsync"/>.</exception>
    public static async Task<HandshakeOutcome> RunAsync(
        TokenKey key, byte[] pin, Func<X509Certificate2, HandshakeRequest> request, CancellationToken cancellationToken)
    {
        Pkcs11EngineKey engineKey;
        try
        {
            engineKey = Pkcs11EngineKey.Load(key.ModulePath, key.KeyUri, pin);
        }
        catch (OpenSslEngineException e) when (e.Failure == EngineFailure.KeyNotLoaded
            && (e.Pkcs11ReturnValue is not { } rv || !InfrastructureReturnValues.Contains(rv)))
        {
            return HandshakeOutcome.Failed(
                $"the pkcs11 engine could not load the key: {e.Message}", ClientCauses.EngineCannotLoadToken, HandshakeEvidence.NotAttempted);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }

        using (engineKey)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(key.Certificate.Span);
            AsymmetricAlgorithm? algorithm = null;
            X509Certificate2 withKey;
            try
            {
                switch (key.Kind)
                {
                    case KeyKind.Rsa:
                        var rsa = new RSAOpenSsl(engineKey.PrivateKey);
                        algorithm = rsa;
                        withKey = certificate.CopyWithPrivateKey(rsa);
                        break;
                    case KeyKind.Ec:
                        var ecdsa = new ECDsaOpenSsl(engineKey.PrivateKey);
                        algorithm = ecdsa;
                        withKey = certificate.CopyWithPrivateKey(ecdsa);
                        break;
                    default:
                        return HandshakeOutcome.Failed(
                            $".NET has no key type for a {key.Kind} key (System.Security.Cryptography has no EdDSA): SslStream cannot use it",
                            ClientCauses.ClientRefusedKey, HandshakeEvidence.NotAttempted);
                }
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                algorithm?.Dispose();
                // As OpenSSL's SSL_CTX_check_private_key in s_client: the client will not present a certificate
                // whose public key is not the key pair's.
                return HandshakeOutcome.Failed(
                    $"the client refuses to start: {e.Message} (the private key does not match the certificate's public key)",
                    ClientCauses.ClientRefusedKey, HandshakeEvidence.NotAttempted);
            }

            using (algorithm)
            using (withKey)
            {
                return await ClientHandshake.RunAsync(request(withKey), cancellationToken);
            }
        }
    }
}
