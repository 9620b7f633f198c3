using TokenService.Handshake;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;
using Xunit;

namespace TokenService.Tests.Unit.Handshake;

/// <summary>The exception chains below are the ones .NET 10 produced here against openssl s_server (OpenSSL 3.0.19).</summary>
public sealed class HandshakeFailuresTests
{
    private static FailureFacts Facts(TlsVersion version, bool after, ushort? scheme = null, bool? emptyCertificate = null, int serverRecords = 5, params string[] messages) =>
        new(version, messages, after, serverRecords, scheme, emptyCertificate);

    public static TheoryData<string, string, string> Alerts() => new()
    {
        { "error:0A000415:SSL routines::sslv3 alert certificate expired", ClientCauses.ServerRejectedCertificate, "certificate_expired" },
        { "error:0A000413:SSL routines::sslv3 alert unsupported certificate", ClientCauses.ServerRejectedCertificate, "unsupported_certificate" },
        { "error:0A000412:SSL routines::sslv3 alert bad certificate", ClientCauses.ServerRejectedCertificate, "bad_certificate" },
        { "error:0A000418:SSL routines::tlsv1 alert unknown ca", ClientCauses.ServerRejectedCertificate, "unknown_ca" },
        { "error:0A00045C:SSL routines::tlsv13 alert certificate required", ClientCauses.NoCommonAlgorithm, "certificate_required" },
        { "error:0A00041B:SSL routines::tlsv1 alert decrypt error", ClientCauses.BadSignature, "decrypt_error" },
        { "error:0A000438:SSL routines::tlsv1 alert internal error", HandshakeCauses.HandshakeFailed, "internal_error" },
    };

    [Theory]
    [MemberData(nameof(Alerts))]
    public void Classify_ServerAlertAfterTls13Handshake_MapsToCauseAndNamesAlert(string openSsl, string cause, string alert)
    {
        var (outcome, unavailable) = HandshakeFailures.Classify(Facts(TlsVersion.Tls13, after: true, messages:
            ["The decryption operation failed, see inner exception.", "Decrypt failed with OpenSSL error - SSL_ERROR_SSL.", openSsl]));

        Assert.Null(unavailable);
        Assert.NotNull(outcome);
        Assert.False(outcome.Ok);
        Assert.Equal(cause, outcome.Cause);
        Assert.Equal(HandshakeEvidence.ServerAlert, outcome.Evidence);
        Assert.Contains(alert, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_EvpLibDuringHandshake_IsSigningRefusedByTheClient()
    {
        var (outcome, _) = HandshakeFailures.Classify(Facts(TlsVersion.Tls13, after: false, messages:
            ["Authentication failed, see inner exception.", "SSL Handshake failed with OpenSSL error - SSL_ERROR_SSL.", "error:0A080006:SSL routines::EVP lib"]));

        Assert.Equal(ClientCauses.SigningRefused, outcome!.Cause);
        Assert.Equal(HandshakeEvidence.ClientError, outcome.Evidence);
        Assert.Contains("error:0A080006:SSL routines::EVP lib", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_EeKeyTooSmall_IsClientRefusedKey()
    {
        var (outcome, _) = HandshakeFailures.Classify(Facts(TlsVersion.Tls12, after: false, serverRecords: 0, messages:
            ["Authentication failed, see inner exception.", "Using SSL certificate failed with OpenSSL error - ee key too small."]));

        Assert.Equal(ClientCauses.ClientRefusedKey, outcome!.Cause);
    }

    [Fact]
    public void Classify_IllegalParameterAfterTls12EcdsaCertificateVerify_IsCurveNotOffered()
    {
        var (outcome, _) = HandshakeFailures.Classify(Facts(TlsVersion.Tls12, after: false, scheme: 0x0403, messages:
            ["Authentication failed, see inner exception.", "error:0A000417:SSL routines::sslv3 alert illegal parameter"]));

        Assert.Equal(ClientCauses.CurveNotOffered, outcome!.Cause);
        Assert.Equal((ushort)0x0403, outcome.Scheme);
    }

    [Fact]
    public void Classify_IllegalParameterAfterRsaCertificateVerify_StaysUnexplained()
    {
        var (outcome, _) = HandshakeFailures.Classify(Facts(TlsVersion.Tls12, after: false, scheme: 0x0804, messages:
            ["error:0A000417:SSL routines::sslv3 alert illegal parameter"]));

        Assert.Equal(HandshakeCauses.HandshakeFailed, outcome!.Cause);
    }

    [Fact]
    public void Classify_HandshakeFailureAfterEmptyTls12Certificate_IsNoCommonAlgorithm()
    {
        var (outcome, _) = HandshakeFailures.Classify(Facts(TlsVersion.Tls12, after: false, emptyCertificate: true, messages:
            ["error:0A000410:SSL routines::sslv3 alert handshake failure"]));

        Assert.Equal(ClientCauses.NoCommonAlgorithm, outcome!.Cause);
    }

    [Fact]
    public void Classify_ProtocolVersionAlert_MeansTheServerCannotBeUsed()
    {
        var (outcome, unavailable) = HandshakeFailures.Classify(Facts(TlsVersion.Tls13, after: false, messages:
            ["error:0A00042E:SSL routines::tlsv1 alert protocol version"]));

        Assert.Null(outcome);
        Assert.Contains("refused TLS 1.3", unavailable, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_NoServerRecordBeforeTheEnd_MeansNoTlsServer()
    {
        var (outcome, unavailable) = HandshakeFailures.Classify(Facts(TlsVersion.Tls13, after: false, serverRecords: 0, messages:
            ["Received an unexpected EOF or 0 bytes from the transport stream."]));

        Assert.Null(outcome);
        Assert.Contains("no TLS answer", unavailable, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_CloseWithoutAlertAfterTls13Handshake_IsARejectionWithServerClosedEvidence()
    {
        var (outcome, _) = HandshakeFailures.Classify(Facts(TlsVersion.Tls13, after: true, messages:
            ["Received an unexpected EOF or 0 bytes from the transport stream."]));

        Assert.False(outcome!.Ok);
        Assert.Equal(HandshakeCauses.HandshakeFailed, outcome.Cause);
        Assert.Equal(HandshakeEvidence.ServerClosed, outcome.Evidence);
        Assert.Contains("right after the handshake", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Connection reset by peer")]
    [InlineData("Received an unexpected EOF or 0 bytes from the transport stream.")]
    public void Classify_CloseWithoutAlertDuringTls12Handshake_IsServerClosedNotServerAlert(string message)
    {
        var (outcome, _) = HandshakeFailures.Classify(Facts(TlsVersion.Tls12, after: false, messages: ["Authentication failed, see inner exception.", message]));

        Assert.False(outcome!.Ok);
        Assert.Equal(HandshakeEvidence.ServerClosed, outcome.Evidence);
        Assert.NotEqual(HandshakeEvidence.ServerAlert, outcome.Evidence);
        Assert.Contains("during the handshake without an alert", outcome.Error, StringComparison.Ordinal);
    }
}
