using System.Security.Cryptography;
using System.Text;

namespace TokenService.VirtualCards;

/// <summary>
/// VERIFY against one PIN with a real retry counter (ISO/IEC 7816-4 §7.5.6; SP 800-73-4 Part 2 §3.2.1): a wrong
/// value costs one try and answers 63Cx with the tries left, the last wrong one blocks (6983 from then on), a right
/// one restores the counter. The counter is in the state file, written before the answer.
/// </summary>
internal sealed class CardPin(CardState state, string reference)
{
    private readonly PinRecord _pin = state.Pin(reference);

    public bool Verified { get; private set; }

    public bool Blocked => _pin.TriesLeft <= 0;

    /// <summary>VERIFY without data: the status only (9000 verified, 63Cx not, 6983 blocked).</summary>
    public ushort Status() =>
        Blocked ? StatusWords.AuthenticationMethodBlocked
        : Verified ? StatusWords.Success
        : StatusWords.TriesLeft(_pin.TriesLeft);

    /// <summary>VERIFY with <paramref name="presented"/> (already stripped of padding).</summary>
    public ushort Verify(ReadOnlySpan<byte> presented)
    {
        if (Blocked)
        {
            Verified = false;
            return StatusWords.AuthenticationMethodBlocked;
        }

        if (CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(_pin.Value)))
        {
            state.SetTriesLeft(_pin, _pin.MaxTries);
            Verified = true;
            return StatusWords.Success;
        }

        Verified = false;
        var left = _pin.TriesLeft - 1;
        state.SetTriesLeft(_pin, left);
        return StatusWords.TriesLeft(left);
    }

    /// <summary>Security status lost (reset, or SP 800-73-4's VERIFY with P1 = FF).</summary>
    public void Forget() => Verified = false;
}
