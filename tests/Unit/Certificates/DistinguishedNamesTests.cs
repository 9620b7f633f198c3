using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TokenService.Certificates;
using Xunit;

namespace TokenService.Tests.Unit.Certificates;

public sealed class DistinguishedNamesTests
{
    private const string CommonName = "2.5.4.3";
    private const string Organization = "2.5.4.10";
    private const string OrganizationalUnit = "2.5.4.11";

    [Theory]
    [InlineData("CN=TokenService demo CA,O=TokenService lab", "CN=TokenService demo CA,O=TokenService lab")]
    [InlineData("CN=TokenService demo CA,O=TokenService lab", "cn=tokenservice DEMO ca,o=TokenService Lab")]
    [InlineData("CN=TokenService demo CA,O=TokenService lab", "CN= TokenService  demo CA ,O=TokenService lab")]
    [InlineData("CN=TokenService demo CA,O=TokenService lab", "2.5.4.3=TokenService demo CA,OID.2.5.4.10=TokenService lab")]
    [InlineData(@"O=Probe\, Second,C=DE", @"O=Probe\2C Second,C=DE")]
    [InlineData("OU=Lab+CN=Probe Other CA,C=DE", "CN=Probe Other CA+OU=Lab,C=DE")]
    [InlineData("CN=#0C0141", "cn=#0c0141")]
    [InlineData("", " ")]
    public void Same_EqualUnderRfc5280NameMatching_True(string a, string b)
    {
        Assert.True(DistinguishedNames.Same(a, b));
        Assert.True(DistinguishedNames.Same(b, a));
    }

    [Theory]
    [InlineData("CN=TokenService demo CA,O=TokenService lab", "CN=Other CA,O=TokenService lab")]
    [InlineData("CN=TokenService demo CA,O=TokenService lab", "O=TokenService lab,CN=TokenService demo CA")]
    [InlineData("CN=TokenService demo CA,O=TokenService lab", "CN=TokenService demo CA")]
    [InlineData("CN=A+OU=B", "CN=A,OU=B")]
    [InlineData(@"CN=a\,b", "CN=a,b")]
    [InlineData("CN=#0C0141", "CN=#0C0142")]
    public void Same_DifferentNames_False(string a, string b) =>
        Assert.False(DistinguishedNames.Same(a, b));

    [Theory]
    [InlineData("CN")]
    [InlineData("CN=a,")]
    [InlineData("C N=a")]
    [InlineData("CN=#0C0")]
    [InlineData(@"CN=a\")]
    [InlineData(@"CN=\FF")]
    public void Canonical_NotRfc4514_ReturnsNullAndMatchesOnlyItself(string text)
    {
        Assert.Null(DistinguishedNames.Canonical(text));
        Assert.True(DistinguishedNames.Same(text, text));
        Assert.False(DistinguishedNames.Same(text, "CN=a"));
    }

    [Fact]
    public void Same_PrintableStringAndUtf8StringEncodings_FormatToMatchingNames()
    {
        // A CA certificate may name itself in PrintableString while a server's list was written with UTF8String:
        // RFC 5280 §7.1 treats both as one name; byte comparison (GnuTLS's library default, NSS) would not.
        var printable = DistinguishedNameFormatter.Format(Name(UniversalTagNumber.PrintableString, "TokenService demo CA"));
        var utf8 = DistinguishedNameFormatter.Format(Name(UniversalTagNumber.UTF8String, "TOKENSERVICE DEMO CA"));

        Assert.True(DistinguishedNames.Same(printable, utf8));
    }

    [Fact]
    public void Issuer_CertificateIssuedByDotNet_MatchesTheIssuersSubjectAsTheProbeFormatsIt()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var userKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caName = new X500DistinguishedNameBuilder();
        // The builder takes RDNs in string order (most specific first).
        caName.AddCommonName("TokenService demo CA");
        caName.AddOrganizationName("TokenService lab, Test");
        var caRequest = new CertificateRequest(caName.Build(), caKey, HashAlgorithmName.SHA256);
        var notBefore = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(1));
        var userRequest = new CertificateRequest("CN=user", userKey, HashAlgorithmName.SHA256);
        using var user = userRequest.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notBefore.AddDays(30), [1, 2, 3]);

        var facts = CertificateFacts.TryParse(user.RawData);

        // What a server sends in certificate_authorities is the CA certificate's subject, DER; the probe formats it.
        var probed = DistinguishedNameFormatter.Format(ca.SubjectName.RawData);
        Assert.NotNull(facts);
        Assert.Equal(@"CN=TokenService demo CA,O=TokenService lab\, Test", facts.Issuer);
        Assert.True(DistinguishedNames.Same(probed, facts.Issuer));
        // Both sides come from the same RFC 4514 formatter, so the text is identical too.
        Assert.Equal(probed, facts.Issuer);
    }

    private static byte[] Name(UniversalTagNumber stringType, string commonName)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (type, value) in new[] { (Organization, "TokenService lab"), (OrganizationalUnit, "Lab"), (CommonName, commonName) })
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(type);
                    writer.WriteCharacterString(type == CommonName ? stringType : UniversalTagNumber.UTF8String, value);
                }
            }
        }

        return writer.Encode();
    }
}
