using System.Collections.Immutable;

namespace TokenService.VirtualCards;

/// <summary>What each kind of virtual card is on the wire: its ATR and its application.</summary>
internal static class VirtualCardKinds
{
    /// <summary>
    /// A Gemalto PIV endpoint card's ATR, listed in OpenSC's card-piv.c (piv_atrs, SC_CARD_TYPE_PIV_II_GEMALTO): no
    /// earlier driver claims it, and the PIV driver treats the card as a plain 800-73 card (no card issues).
    /// </summary>
    public static readonly ImmutableArray<byte> PivAtr = [0x3B, 0x7D, 0x96, 0x00, 0x00, 0x80, 0x31, 0x80, 0x65, 0xB0, 0x83, 0x11, 0x17, 0xD6, 0x83, 0x00, 0x90, 0x00];

    /// <summary>The JPKI card's ATR as OpenSC's card-jpki.c matches it (jpki_atrs).</summary>
    public static readonly ImmutableArray<byte> JpkiAtr = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];

    public static ImmutableArray<byte> Atr(CardKind kind) => kind == CardKind.Jpki ? JpkiAtr : PivAtr;

    /// <summary>The application answering for a card with <paramref name="state"/> (dispose it after removal).</summary>
    public static ICardApplication Application(CardState state) => state.Kind == CardKind.Jpki
        ? new JpkiApplication(state)
        : new PivApplication(state);
}
