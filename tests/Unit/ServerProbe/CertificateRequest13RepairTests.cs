using TokenService.ServerProbe;
using Xunit;

namespace TokenService.Tests.Unit.ServerProbe;

public sealed class CertificateRequest13RepairTests
{
    // signature_algorithms(13) with ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256.
    private static readonly byte[] SignatureAlgorithms = [0x00, 0x0D, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04];

    // certificate_authorities(47) holding an empty list, as OpenSSL 3.0 sends it with -no_ca_names.
    private static readonly byte[] EmptyAuthorities = [0x00, 0x2F, 0x00, 0x02, 0x00, 0x00];

    // certificate_authorities(47) with no data at all.
    private static readonly byte[] BareAuthorities = [0x00, 0x2F, 0x00, 0x00];

    // certificate_authorities(47) naming one (empty) Name: 2-byte list length, 2-byte name length, DER 30 00.
    private static readonly byte[] OneAuthority = [0x00, 0x2F, 0x00, 0x06, 0x00, 0x04, 0x00, 0x02, 0x30, 0x00];

    [Fact]
    public void TryDropEmptyCertificateAuthorities_EmptyList_DropsTheExtensionAndFixesTheLength()
    {
        Assert.True(CertificateRequest13Repair.TryDropEmptyCertificateAuthorities(Body([], SignatureAlgorithms, EmptyAuthorities), out var repaired));
        Assert.Equal(Body([], SignatureAlgorithms), repaired);
    }

    [Fact]
    public void TryDropEmptyCertificateAuthorities_ExtensionWithoutData_DropsIt()
    {
        Assert.True(CertificateRequest13Repair.TryDropEmptyCertificateAuthorities(Body([], BareAuthorities, SignatureAlgorithms), out var repaired));
        Assert.Equal(Body([], SignatureAlgorithms), repaired);
    }

    [Fact]
    public void TryDropEmptyCertificateAuthorities_NonEmptyContext_KeepsTheContext()
    {
        Assert.True(CertificateRequest13Repair.TryDropEmptyCertificateAuthorities(Body([0xAA, 0xBB], SignatureAlgorithms, EmptyAuthorities), out var repaired));
        Assert.Equal(Body([0xAA, 0xBB], SignatureAlgorithms), repaired);
    }

    [Fact]
    public void TryDropEmptyCertificateAuthorities_AuthoritiesNamed_LeavesTheMessageAlone() =>
        Assert.False(CertificateRequest13Repair.TryDropEmptyCertificateAuthorities(Body([], SignatureAlgorithms, OneAuthority), out _));

    [Fact]
    public void TryDropEmptyCertificateAuthorities_NoAuthoritiesExtension_LeavesTheMessageAlone() =>
        Assert.False(CertificateRequest13Repair.TryDropEmptyCertificateAuthorities(Body([], SignatureAlgorithms), out _));

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x05, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x00, 0x07, 0x00, 0x2F, 0x00, 0x02, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x00, 0x06, 0x00, 0x2F, 0x00, 0x09, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x00, 0x03, 0x00, 0x2F, 0x00 })]
    public void TryDropEmptyCertificateAuthorities_MalformedBody_ReturnsFalse(byte[] body) =>
        Assert.False(CertificateRequest13Repair.TryDropEmptyCertificateAuthorities(body, out _));

    private static byte[] Body(byte[] context, params byte[][] extensions)
    {
        var all = extensions.SelectMany(e => e).ToArray();
        return [(byte)context.Length, .. context, (byte)(all.Length >> 8), (byte)all.Length, .. all];
    }
}
