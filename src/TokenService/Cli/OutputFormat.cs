using System.CommandLine;

namespace TokenService.Cli;

/// <summary>How a command prints its result: `table` for a person, `json` (the contract) for machines.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}

/// <summary>The one `--format` option every command shares, parsed and validated by System.CommandLine (exit 64 otherwise).</summary>
internal static class OutputFormatOption
{
    public static Option<OutputFormat> Create() => new("--format")
    {
        Description = "table (for a person) or json (contract v1, for machines).",
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
            if (TryParse(text, out var format))
            {
                return format;
            }

            result.AddError($"--format: expected table or json, got '{text}'");
            return OutputFormat.Table;
        },
    };

    public static bool TryParse(string text, out OutputFormat format)
    {
        switch (text)
        {
            case "table":
                format = OutputFormat.Table;
                return true;
            case "json":
                format = OutputFormat.Json;
                return true;
            default:
                format = default;
                return false;
        }
    }
}
