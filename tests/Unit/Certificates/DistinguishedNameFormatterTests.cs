using TokenService.Certificates;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace TokenService.Tests.Unit.Certificates;

public sealed class DistinguishedNameFormatterTests
{
    private const string CommonName = "2.5.4.3";
    private const string Organization = "2.5.4.10";
    private const string OrganizationalUnit = "2.5.4.11";
    private const string Country = "2.5.4.6";
    private const string DomainComponent = "0.9.2342.19200300.100.1.25";
    private const string EmailAddress = "1.2.840.113549.1.9.1";

    [Fact]
    public void Format_ThreeRdns_PrintsLastRdnFirstWithCommas()
    {
        var der = Name(
            [(Country, Printable("DE"))],
            [(Organization, Utf8("Probe Test"))],
            [(CommonName, Utf8("Probe Root CA"))]);

        Assert.Equal("CN=Probe Root CA,O=Probe Test,C=DE", DistinguishedNameFormatter.Format(der));
    }

    [Fact]
    public void Format_NameBuiltByDotNet_MatchesRfc4514()
    {
        // The builder is written in string order and encodes the last-added RDN first.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName("Issuing CA 1");
        builder.AddOrganizationName("Example, Inc.");
        builder.AddDomainComponent("example");
        builder.AddDomainComponent("test");

        Assert.Equal(
            @"CN=Issuing CA 1,O=Example\, Inc.,DC=example,DC=test",
            DistinguishedNameFormatter.Format(builder.Build().RawData));
    }

    [Theory]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a+b", @"a\+b")]
    [InlineData("say \"hi\"", @"say \""hi\""")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("<tag>", @"\<tag\>")]
    [InlineData("a;b", @"a\;b")]
    [InlineData("#first", @"\#first")]
    [InlineData("not#first", "not#first")]
    [InlineData(" lead", @"\ lead")]
    [InlineData("trail ", @"trail\ ")]
    [InlineData("in side", "in side")]
    [InlineData("a=b", "a=b")]
    [InlineData("nul\0byte", @"nul\00byte")]
    [InlineData("tab\there", @"tab\09here")]
    [InlineData("Müller 日本", "Müller 日本")]
    [InlineData("", "")]
    public void Format_SpecialCharactersInValue_EscapedPerRfc4514Section24(string value, string expected) =>
        Assert.Equal("CN=" + expected, DistinguishedNameFormatter.Format(Name([(CommonName, Utf8(value))])));

    [Fact]
    public void Format_MultiValuedRdn_JoinsAttributesWithPlusInEncodedOrder()
    {
        var der = Name(
            [(Country, Printable("DE"))],
            [(OrganizationalUnit, Utf8("Lab")), (CommonName, Utf8("Multi"))]);

        Assert.Equal("OU=Lab+CN=Multi,C=DE", DistinguishedNameFormatter.Format(der));
    }

    [Fact]
    public void Format_TypeWithoutRfc4514ShortName_PrintsDottedOidAndHexValue()
    {
        var der = Name([(EmailAddress, Ia5("ca@example.test"))], [(CommonName, Utf8("X"))]);

        Assert.Equal(
            "CN=X,1.2.840.113549.1.9.1=#160F6361406578616D706C652E74657374",
            DistinguishedNameFormatter.Format(der));
    }

    [Fact]
    public void Format_DomainComponentAsIa5String_PrintsText() =>
        Assert.Equal("DC=example", DistinguishedNameFormatter.Format(Name([(DomainComponent, Ia5("example"))])));

    [Fact]
    public void Format_BmpString_PrintsText() =>
        Assert.Equal("CN=Wide", DistinguishedNameFormatter.Format(Name([(CommonName, Bmp("Wide"))])));

    [Fact]
    public void Format_KnownTypeWithNonStringValue_PrintsHex() =>
        Assert.Equal("CN=#020101", DistinguishedNameFormatter.Format(Name([(CommonName, w => w.WriteInteger(1))])));

    [Fact]
    public void Format_TeletexString_PrintsHexBecauseItsCharacterSetIsAmbiguous() =>
        Assert.Equal(
            "CN=#1403414243",
            DistinguishedNameFormatter.Format(Name([(CommonName, w => w.WriteCharacterString(UniversalTagNumber.T61String, "ABC"))])));

    [Fact]
    public void Format_EmptyName_ReturnsEmptyString() =>
        Assert.Equal("", DistinguishedNameFormatter.Format(Name()));

    [Fact]
    public void Format_NotAName_ReturnsHexOfTheInput() =>
        Assert.Equal("#0201FF", DistinguishedNameFormatter.Format(new byte[] { 0x02, 0x01, 0xFF }));

    [Fact]
    public void Format_TrailingBytesAfterName_ReturnsHexOfTheInput() =>
        Assert.Equal("#300000", DistinguishedNameFormatter.Format(new byte[] { 0x30, 0x00, 0x00 }));

    private static Action<AsnWriter> Utf8(string text) => w => w.WriteCharacterString(UniversalTagNumber.UTF8String, text);

    private static Action<AsnWriter> Printable(string text) => w => w.WriteCharacterString(UniversalTagNumber.PrintableString, text);

    private static Action<AsnWriter> Ia5(string text) => w => w.WriteCharacterString(UniversalTagNumber.IA5String, text);

    private static Action<AsnWriter> Bmp(string text) => w => w.WriteCharacterString(UniversalTagNumber.BMPString, text);

    /// <summary>A DER Name: RDNs in encoded order (first = most significant), each a SET OF attributes.</summary>
    private static byte[] Name(params (string Type, Action<AsnWriter> Value)[][] rdns)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var rdn in rdns)
            {
                using (writer.PushSetOf())
                {
                    foreach (var (type, value) in rdn)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(type);
                            value(writer);
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }
}
