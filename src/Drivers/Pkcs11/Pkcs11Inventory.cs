using System.Collections.Immutable;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenService.Drivers.Snapshots;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Reads what a PKCS#11 module and its tokens offer for client-certificate signing, and returns it as plain
/// snapshots. Read-only: it opens only read-only sessions, makes at most one CKU_USER login per token and
/// never retries it, and creates, modifies or signs nothing.
/// </summary>
internal static partial class Pkcs11Inventory
{
    /// <summary>
    /// Loads <paramref name="modulePath"/> once per process (see <see cref="Pkcs11Modules"/>) and reads every
    /// token present, or those the request names by label or slot description. Inventories of one module run one at a time.
    /// </summary>
    /// <exception cref="Pkcs11ModuleException">
    /// The module is missing, fails to load or to initialize, or a token vanished while it was read.
    /// A wrong or refused PIN is not an exception: it is <see cref="TokenSnapshot.Login"/>.
    /// </exception>
    public static ModuleSnapshot Read(string modulePath, InventoryRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(modulePath);
        ArgumentNullException.ThrowIfNull(request);

        return Pkcs11Modules.Exclusive(modulePath, module => ReadModule(module, request));
    }

    private static ModuleSnapshot ReadModule(LoadedModule module, InventoryRequest request)
    {
        var info = module.Library.GetInfo();
        var wantedLabel = request.TokenLabel?.TrimEnd();
        var tokens = ImmutableArray.CreateBuilder<TokenSnapshot>();
        var slots = module.Library.GetSlotList(SlotsType.WithTokenPresent);
        if (request.SlotDescription is { } wantedSlot)
        {
            slots = SlotDescriptions.Select(slots, static slot => slot.GetSlotInfo().SlotDescription, wantedSlot);
        }

        foreach (var slot in slots)
        {
            if (TokenSessions.TryGetTokenInfo(slot) is { } tokenInfo
                && (wantedLabel is null || string.Equals(tokenInfo.Label, wantedLabel, StringComparison.Ordinal)))
            {
                tokens.Add(ReadToken(slot, tokenInfo, request.Pin));
            }
        }

        return new ModuleSnapshot
        {
            ModulePath = module.Path,
            LibraryDescription = info.LibraryDescription,
            ManufacturerId = info.ManufacturerId,
            CryptokiVersion = info.CryptokiVersion,
            LibraryVersion = info.LibraryVersion,
            Tokens = tokens.ToImmutable(),
        };
    }

    private static TokenSnapshot ReadToken(ISlot slot, ITokenInfo tokenInfo, byte[]? pin)
    {
        var flags = tokenInfo.TokenFlags.Flags;
        var mechanisms = ReadMechanisms(slot);
        var objects = ReadObjects(slot, flags, pin);
        return new TokenSnapshot
        {
            SlotId = slot.SlotId,
            SlotDescription = slot.GetSlotInfo().SlotDescription,
            Label = tokenInfo.Label,
            Manufacturer = tokenInfo.ManufacturerId,
            Model = tokenInfo.Model,
            SerialNumber = tokenInfo.SerialNumber,
            Flags = flags,
            Mechanisms = mechanisms.Listed,
            UnlistedMechanismsAnswered = mechanisms.UnlistedAnswered,
            PrivateKeys = objects.PrivateKeys,
            PublicKeys = objects.PublicKeys,
            Certificates = objects.Certificates,
            Login = objects.Login,
            LoginMessage = objects.LoginMessage,
        };
    }
}
