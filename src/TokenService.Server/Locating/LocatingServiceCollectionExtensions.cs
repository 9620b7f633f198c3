using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TokenService.Locating;

internal static class LocatingServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="ITokenLocator"/> from bench bindings and/or the p11-kit registry, configured from the
    /// "Locating" section and validated at start (a wrong bindings file stops the start with every problem listed).
    /// </summary>
    public static IServiceCollection AddLocating(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<LocatingOptions>()
            .Bind(configuration.GetSection(LocatingOptions.Section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocatingOptions>, LocatingOptionsValidator>());
        services.TryAddSingleton<ITokenLocator, TokenLocator>();
        return services;
    }
}
