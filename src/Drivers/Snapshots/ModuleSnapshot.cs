using System.Collections.Immutable;

namespace TokenService.Drivers.Snapshots;

/// <summary>Everything one PKCS#11 module reported, as plain values: nothing native leaves Drivers.</summary>
public sealed record ModuleSnapshot
{
    public required string ModulePath { get; init; }
    public string? LibraryDescription { get; init; }
    public string? ManufacturerId { get; init; }
    public string? CryptokiVersion { get; init; }
    public string? LibraryVersion { get; init; }
    public ImmutableArray<TokenSnapshot> Tokens { get; init; } = [];
}
