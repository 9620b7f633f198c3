using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace TokenService.Tests.Hardware.ServerProbe;

/// <summary>
/// A throwaway PKI made with the openssl tool in a temp folder: two CAs (the second with an escaped comma and a
/// multi-valued RDN) and a P-256 server certificate issued by the first. Fails, not skips, without openssl.
/// </summary>
public sealed class TestPki : IDisposable
{
    public TestPki()
    {
        Version = OpenSsl.Run("version").Trim();
        Folder = Directory.CreateTempSubdirectory("serverprobe-").FullName;

        MakeSelfSignedCa("ca-a", "/C=DE/O=Probe Test/CN=Probe Root CA");
        MakeSelfSignedCa("ca-b", @"/C=DE/O=Probe\, Second/OU=Lab+CN=Probe Other CA");
        OpenSsl.Run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", PathOf("server.key"), "-out", PathOf("server.csr"), "-subj", "/CN=localhost");
        OpenSsl.Run("x509", "-req", "-in", PathOf("server.csr"), "-CA", PathOf("ca-a.crt"), "-CAkey", PathOf("ca-a.key"),
            "-set_serial", "2", "-days", "2", "-out", ServerCertificate);
        File.WriteAllText(BothCas, File.ReadAllText(PathOf("ca-a.crt")) + File.ReadAllText(PathOf("ca-b.crt")));

        // The oracle for the probe's RFC 4514 strings: OpenSSL's own RFC 2253 printer (identical for ASCII names
        // with single-valued RDNs).
        CaAName = SubjectOf(PathOf("ca-a.crt"));

        // OpenSSL prints the attributes of a multi-valued RDN in reverse (CN=...+OU=Lab); RFC 4514 §2.2 allows any
        // order and the probe keeps the encoded one: DER sorts the SET OF by encoding, the shorter OU first.
        CaBName = @"OU=Lab+CN=Probe Other CA,O=Probe\, Second,C=DE";
    }

    public string Version { get; }
    public string Folder { get; }
    public string ServerCertificate => PathOf("server.crt");
    public string ServerKey => PathOf("server.key");
    public string CaA => PathOf("ca-a.crt");
    public string CaB => PathOf("ca-b.crt");

    /// <summary>CA A then CA B in one PEM file.</summary>
    public string BothCas => PathOf("both-cas.pem");

    public string CaAName { get; }
    public string CaBName { get; }

    public X509Certificate2 LoadServerCertificateWithKey() => X509Certificate2.CreateFromPemFile(ServerCertificate, ServerKey);

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private string PathOf(string name) => Path.Combine(Folder, name);

    private void MakeSelfSignedCa(string name, string subject) =>
        OpenSsl.Run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-multivalue-rdn",
            "-keyout", PathOf(name + ".key"), "-out", PathOf(name + ".crt"), "-subj", subject, "-days", "2");

    private static string SubjectOf(string certificate)
    {
        var line = OpenSsl.Run("x509", "-in", certificate, "-noout", "-subject", "-nameopt", "RFC2253").Trim();
        return line.StartsWith("subject=", StringComparison.Ordinal) ? line["subject=".Length..] : line;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerProbeCollection : ICollectionFixture<TestPki>
{
    public const string Name = "server probe against real TLS servers";
}
