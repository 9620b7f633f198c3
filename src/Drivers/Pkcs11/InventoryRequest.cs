namespace TokenService.Drivers.Pkcs11;

/// <summary>What <see cref="Pkcs11Inventory.Read"/> should read.</summary>
internal sealed class InventoryRequest
{
    /// <summary>Read only the token with this CK_TOKEN_INFO.label (trailing blanks ignored); null reads every token present.</summary>
    public string? TokenLabel { get; init; }

    /// <summary>
    /// Read only the token in the slot named like this (see <see cref="SlotDescriptions.Select{T}"/>): OpenSC
    /// names each slot after its PC/SC reader. Null reads every slot. Combines with <see cref="TokenLabel"/>.
    /// </summary>
    public string? SlotDescription { get; init; }

    /// <summary>
    /// The user PIN for one CKU_USER login, or null for a public-objects-only inventory. The inventory passes
    /// this array to C_Login as is, never copies, keeps or prints it; the caller clears it when Read returns.
    /// </summary>
    public byte[]? Pin { get; init; }
}
