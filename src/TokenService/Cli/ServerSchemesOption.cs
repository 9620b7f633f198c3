using System.Collections.Immutable;
using TokenService.Verdicts;

namespace TokenService.Cli;

/// <summary>Parses `--server-schemes`: IANA names or 0xNNNN code points, separated by commas or colons.</summary>
internal static class ServerSchemesOption
{
    public static ServerModel Parse(string? list)
    {
        if (list is null)
        {
            return ServerModel.StockOpenSsl3;
        }

        var codes = ImmutableArray.CreateBuilder<ushort>();
        foreach (var item in list.Split([',', ':', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Tls.SignatureSchemeNames.TryParse(item, out var code))
            {
                codes.Add(code);
            }
            else
            {
                throw new CliException(ExitCodes.Usage,
                    $"--server-schemes: unknown signature scheme '{item}' (use IANA names such as rsa_pss_rsae_sha256, or 0x0804)");
            }
        }

        if (codes.Count == 0)
        {
            throw new CliException(ExitCodes.Usage, "--server-schemes: the list is empty");
        }

        return ServerModel.Given(codes.ToImmutable());
    }
}
