using System.CommandLine;
using TokenService.Verdicts.Clients;

namespace TokenService.Cli;

/// <summary>`--clients LIST`: the client stacks the headline verdict answers for, parsed once by System.CommandLine.</summary>
internal static class ClientsOption
{
    public static Option<ClientTargets> Create() => new("--clients")
    {
        Description = $"Comma-separated client stacks the verdict answers for (default: every one: {string.Join(",", ClientStacks.All.Select(s => s.Name))}). Predictions are made for every stack either way.",
        DefaultValueFactory = _ => ClientTargets.All,
        CustomParser = result =>
        {
            var names = result.Tokens.SelectMany(t => t.Value.Split(','));
            if (ClientTargets.TryParse(names, out var error) is { } targets)
            {
                return targets;
            }

            result.AddError($"--clients: {error}");
            return ClientTargets.All;
        },
    };
}
