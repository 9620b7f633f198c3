using System.Text;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Finds slots by CK_SLOT_INFO.slotDescription (PKCS#11 v2.40 §3.2): 64 bytes of UTF-8, blank padded, which
/// OpenSC fills with the PC/SC reader name. Pure, so the rule is testable without a module.
/// </summary>
internal static class SlotDescriptions
{
    /// <summary>CK_SLOT_INFO.slotDescription is a fixed 64-byte field: longer reader names arrive cut.</summary>
    public const int FieldBytes = 64;

    /// <summary>How well a slot description names the wanted text.</summary>
    public enum Match
    {
        None,
        /// <summary>The description holds the wanted text among other words (a module that decorates reader names).</summary>
        Contains,
        /// <summary>The description is the wanted text, or the wanted text cut to the 64-byte field.</summary>
        Exact,
    }

    /// <summary>Compares one description (trailing blanks ignored) with the wanted text.</summary>
    public static Match Compare(string description, string wanted)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentException.ThrowIfNullOrEmpty(wanted);
        var trimmed = description.TrimEnd(' ', '\0');
        if (trimmed.Length == 0)
        {
            return Match.None;
        }

        if (string.Equals(trimmed, wanted, StringComparison.Ordinal) || string.Equals(trimmed, CutToField(wanted), StringComparison.Ordinal))
        {
            return Match.Exact;
        }

        return trimmed.Contains(wanted, StringComparison.Ordinal) ? Match.Contains : Match.None;
    }

    /// <summary>
    /// The slots whose description is exactly the wanted text, or, when none is, those that contain it: "Reader 1"
    /// must not pick "Reader 10" while an exact "Reader 1" slot exists.
    /// </summary>
    public static List<T> Select<T>(IEnumerable<T> slots, Func<T, string> descriptionOf, string wanted)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(descriptionOf);
        var exact = new List<T>();
        var containing = new List<T>();
        foreach (var slot in slots)
        {
            switch (Compare(descriptionOf(slot), wanted))
            {
                case Match.Exact:
                    exact.Add(slot);
                    break;
                case Match.Contains:
                    containing.Add(slot);
                    break;
            }
        }

        return exact.Count > 0 ? exact : containing;
    }

    /// <summary>The wanted text as a module must store it: at most 64 UTF-8 bytes, never half a character, no trailing blank.</summary>
    private static string CutToField(string wanted)
    {
        if (Encoding.UTF8.GetByteCount(wanted) <= FieldBytes)
        {
            return wanted;
        }

        var length = 0;
        var bytes = 0;
        foreach (var rune in wanted.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > FieldBytes)
            {
                break;
            }

            length += rune.Utf16SequenceLength;
        }

        return wanted[..length].TrimEnd(' ');
    }
}
