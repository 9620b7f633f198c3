namespace TokenService.Verdicts.Clients;

/// <summary>The stacks every report predicts, in report order.</summary>
internal static class ClientStacks
{
    public static IReadOnlyList<ClientStack> All { get; } =
    [
        new ChromeLinuxClient(),
        new ChromeWindowsClient(),
        new ChromeMacClient(),
        new FirefoxClient(),
        new GnuTlsClient(),
        new OpenSslLibp11Client(),
        new JavaClient(),
    ];
}
