using TokenService.Verdicts;

namespace TokenService.Tests.Unit.TestData;

/// <summary>
/// The TLS version as theory data: the engine's <see cref="TlsVersion"/> is internal and cannot appear in
/// the signature of a public test method.
/// </summary>
public enum Proto
{
    V12,
    V13,
}

internal static class TlsExtensions
{
    public static TlsVersion ToEngine(this Proto version) => version == Proto.V13 ? TlsVersion.Tls13 : TlsVersion.Tls12;
}
