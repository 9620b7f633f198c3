using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenService.Probing;

namespace TokenService.Locating;

/// <summary>
/// Maps a reader and its card's ATR to the token to probe: the first bench binding that matches, else the
/// slot named after the reader in the configured p11-kit module (OpenSC names each slot after its reader),
/// else nothing. Bindings and the registry are read once, at start.
/// </summary>
internal sealed class TokenLocator : ITokenLocator
{
    private static readonly IReadOnlyDictionary<string, string> InheritedEnvironment = ImmutableDictionary<string, string>.Empty;

    private readonly ImmutableArray<BenchBinding> bindings;
    private readonly P11KitModule? p11KitModule;
    private readonly ILogger logger;

    /// <exception cref="BenchBindingsException">The bindings file is wrong (the options validation says so at start).</exception>
    /// <exception cref="InvalidOperationException">The p11-kit module is not registered.</exception>
    public TokenLocator(IOptions<LocatingOptions> options, ILogger<TokenLocator> logger)
        : this(
            options.Value.BindingsFile is { } file ? BenchBindingsFile.Load(file) : [],
            options.Value.P11KitModule is { } name ? FindP11KitModule(options.Value, name, logger) : null,
            logger)
    {
    }

    internal TokenLocator(ImmutableArray<BenchBinding> bindings, P11KitModule? p11KitModule, ILogger logger)
    {
        this.bindings = bindings;
        this.p11KitModule = p11KitModule;
        this.logger = logger;
    }

    public ProbeTarget? Locate(string reader, ImmutableArray<byte> atr)
    {
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var binding in bindings)
        {
            if (binding.Matches(reader, atr))
            {
                Log.LocatedByBinding(logger, reader, binding.Token, binding.Module);
                return binding.ToTarget();
            }
        }

        if (p11KitModule is { } module)
        {
            Log.LocatedByP11Kit(logger, reader, module.Name);
            return new ProbeTarget(module.Path, InheritedEnvironment, TokenLabel: null, SlotDescription: reader, PinFile: null);
        }

        Log.NotLocated(logger, reader, Convert.ToHexString(atr.AsSpan()));
        return null;
    }

    private static P11KitModule FindP11KitModule(LocatingOptions options, string name, ILogger logger)
    {
        var registry = P11KitModules.Read(options.EffectiveConfigDirectories, options.EffectiveModuleDirectory);
        foreach (var problem in registry.Problems)
        {
            Log.RegistryProblem(logger, problem);
        }

        return registry.Find(name)
            ?? throw new InvalidOperationException($"no p11-kit module named '{name}' is registered in {string.Join(", ", options.EffectiveConfigDirectories)}");
    }
}
