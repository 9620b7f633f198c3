using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TokenService.Probing;

internal static class ProbingServiceCollectionExtensions
{
    /// <summary>
    /// Out-of-process probing: <see cref="ITokenProber"/> as one <see cref="OutOfProcessProber"/> (one probe host
    /// per module configuration), configured from the "Probing" section (and the headline's client targets from "Verdict"), validated at start.
    /// </summary>
    public static IServiceCollection AddProbing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<ProbingOptions>()
            .Bind(configuration.GetSection(ProbingOptions.Section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProbingOptions>, ProbingOptionsValidator>());
        services.AddOptionsWithValidateOnStart<VerdictOptions>()
            .Bind(configuration.GetSection(VerdictOptions.Section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VerdictOptions>, VerdictOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutOfProcessProber>();
        services.TryAddSingleton<ITokenProber>(provider => provider.GetRequiredService<OutOfProcessProber>());
        return services;
    }
}
