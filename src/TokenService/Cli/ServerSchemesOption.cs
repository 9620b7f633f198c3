using TokenService.Tls;
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

        try
        {
            return ServerModel.Given(SignatureSchemeNames.ParseList(list));
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, "--server-schemes: " + e.Message);
        }
    }
}
