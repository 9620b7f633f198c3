using System.Collections.Frozen;

namespace TokenService.VirtualCards;

/// <summary>
/// The PIV card application (NIST SP 800-73-4 Part 2, card edge) as far as OpenSC's `PIV-II` driver
/// (src/libopensc/card-piv.c, pkcs15-piv.c) uses it: SELECT of the PIV AID, GET DATA for the discovery object,
/// CCC, CHUID, key history and the X.509 certificate objects of slots 9A, 9C, 9D, 9E, VERIFY of the PIV PIN
/// (reference 80) with its retry counter, and GENERAL AUTHENTICATE signing: raw RSA (algorithm 07, RSA-2048) and
/// ECDSA (11, P-256; 14, P-384). 9E (card authentication) signs without the PIN; 9C (digital signature) needs the
/// PIN verified just before each use ("PIN Always", Part 1 §3.3.2).
/// </summary>
internal sealed class PivApplication : ICardApplication, IDisposable
{
    /// <summary>The PIV AID (SP 800-73-4 Part 1 §2.2): RID A0 00 00 03 08, PIX 00 00 10 00 01 00.</summary>
    public static readonly byte[] Aid = [0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00];

    public const string PinReference = "80";

    private const byte InsSelect = 0xA4;
    private const byte InsGetData = 0xCB;
    private const byte InsVerify = 0x20;
    private const byte InsGeneralAuthenticate = 0x87;

    /// <summary>Key reference → the BER-TLV tag of its certificate object (SP 800-73-4 Part 1 Table 3).</summary>
    private static readonly FrozenDictionary<byte, int> CertificateTags = new Dictionary<byte, int>
    {
        [0x9A] = 0x5FC105,
        [0x9C] = 0x5FC10A,
        [0x9D] = 0x5FC10B,
        [0x9E] = 0x5FC101,
    }.ToFrozenDictionary();

    /// <summary>A test FASC-N with agency code 9999 (a non-federal card; OpenSC then names the card by the GUID).</summary>
    private static readonly byte[] FascN = Convert.FromHexString("D4E739DA739CED39CE739D836858210842108421C84210C3EB");

    private readonly CardState _state;
    private readonly CardPin _pin;
    private readonly Dictionary<int, byte[]> _objects = [];
    private readonly Dictionary<byte, CardKey> _keys = [];
    private bool _signatureKeyUnlocked;

    public PivApplication(CardState state)
    {
        _state = state;
        _pin = new CardPin(state, PinReference);
        foreach (var record in state.Document.Keys)
        {
            var reference = Convert.FromHexString(record.Reference)[0];
            if (!CertificateTags.TryGetValue(reference, out var tag) || record.PrivateKey is null)
            {
                continue;
            }

            _keys[reference] = CardKey.FromPkcs8(record.PrivateKey);
            // Certificate object: 70 certificate, 71 CertInfo (00: not compressed), FE error detection code (Part 1 Table 10).
            _objects[tag] = Tlv.Encode(0x53, [.. Tlv.Encode(0x70, record.Certificate), .. Tlv.Encode(0x71, [0x00]), .. Tlv.Encode(0xFE, [])]);
        }

        _objects[0x7E] = Discovery();
        _objects[0x5FC107] = Tlv.Encode(0x53, CardCapabilityContainer(state.Document.Guid));
        _objects[0x5FC102] = Tlv.Encode(0x53, [
            .. Tlv.Encode(0x30, FascN), .. Tlv.Encode(0x34, state.Document.Guid), .. Tlv.Encode(0x35, "20361231"u8),
            .. Tlv.Encode(0x3E, []), .. Tlv.Encode(0xFE, [])]);
        // Key history (Part 1 §3.3.2 Table 19): no retired keys.
        _objects[0x5FC10C] = Tlv.Encode(0x53, [.. Tlv.Encode(0xC1, [0x00]), .. Tlv.Encode(0xC2, [0x00]), .. Tlv.Encode(0xFE, [])]);
    }

    public ResponseApdu Process(CommandApdu command)
    {
        if ((command.Cla & 0xEF) != 0x00)
        {
            return ResponseApdu.Error(StatusWords.ClassNotSupported);
        }

        return command.Ins switch
        {
            InsSelect => Select(command),
            InsGetData => GetData(command),
            InsVerify => Verify(command),
            InsGeneralAuthenticate => GeneralAuthenticate(command),
            _ => ResponseApdu.Error(StatusWords.InstructionNotSupported),
        };
    }

    public void Reset()
    {
        _pin.Forget();
        _signatureKeyUnlocked = false;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>SELECT by AID, the PIX may be cut (Part 2 §3.1.1); the answer is the application property template.</summary>
    private static ResponseApdu Select(CommandApdu command)
    {
        if (command.P1 != 0x04 || command.Data.Length < 5 || command.Data.Length > Aid.Length || !Aid.AsSpan().StartsWith(command.Data))
        {
            return ResponseApdu.Error(StatusWords.FileNotFound);
        }

        return ResponseApdu.Ok(Tlv.Encode(0x61, [
            .. Tlv.Encode(0x4F, Aid.AsSpan(5)),
            .. Tlv.Encode(0x79, Tlv.Encode(0x4F, Aid.AsSpan(0, 5))),
            .. Tlv.Encode(0x50, "TokenService virtual PIV"u8)]));
    }

    /// <summary>GET DATA, P1-P2 3FFF, data 5C with the object's tag (Part 2 §3.1.2).</summary>
    private ResponseApdu GetData(CommandApdu command)
    {
        if (command.P1 != 0x3F || command.P2 != 0xFF)
        {
            return ResponseApdu.Error(StatusWords.IncorrectP1P2);
        }

        if (Tlv.Decode(command.Data) is not [(0x5C, var tagBytes)] || tagBytes.Length is 0 or > 3)
        {
            return ResponseApdu.Error(StatusWords.IncorrectData);
        }

        var tag = tagBytes.Aggregate(0, (t, b) => (t << 8) | b);
        return _objects.TryGetValue(tag, out var value) ? ResponseApdu.Ok(value) : ResponseApdu.Error(StatusWords.FileNotFound);
    }

    /// <summary>VERIFY of the PIV PIN (Part 2 §3.2.1): 8 bytes padded with FF; no data asks the status; P1 FF resets it.</summary>
    private ResponseApdu Verify(CommandApdu command)
    {
        if (command.P2 != 0x80)
        {
            return ResponseApdu.Error(StatusWords.ReferenceNotFound);
        }

        if (command.P1 == 0xFF)
        {
            Reset();
            return ResponseApdu.Error(StatusWords.Success);
        }

        if (command.Data.Length == 0)
        {
            return ResponseApdu.Error(_pin.Status());
        }

        if (command.Data.Length != 8)
        {
            return ResponseApdu.Error(StatusWords.WrongLength);
        }

        var presented = command.Data.AsSpan();
        var end = presented.IndexOf((byte)0xFF);
        var status = _pin.Verify(end < 0 ? presented : presented[..end]);
        _signatureKeyUnlocked = status == StatusWords.Success;
        return ResponseApdu.Error(status);
    }

    /// <summary>
    /// GENERAL AUTHENTICATE for a signature (Part 2 §3.2.4, Appendix A.4): data 7C { 82 00, 81 challenge }, answer
    /// 7C { 82 response }. P1 the algorithm (Part 1 Table 5), P2 the key reference.
    /// </summary>
    private ResponseApdu GeneralAuthenticate(CommandApdu command)
    {
        if (!_keys.TryGetValue(command.P2, out var key))
        {
            return ResponseApdu.Error(StatusWords.ReferenceNotFound);
        }

        var expected = key.IsRsa
            ? key.KeySizeBits switch { 1024 => 0x06, 2048 => 0x07, 3072 => 0x05, _ => -1 }
            : key.KeySizeBits switch { 256 => 0x11, 384 => 0x14, _ => -1 };
        if (command.P1 != expected)
        {
            return ResponseApdu.Error(StatusWords.IncorrectP1P2);
        }

        if (Tlv.Decode(command.Data) is not [(0x7C, var template)] || Tlv.Decode(template) is not { } fields)
        {
            return ResponseApdu.Error(StatusWords.IncorrectData);
        }

        var challenge = fields.FirstOrDefault(f => f.Tag == 0x81).Value;
        if (challenge is null || !fields.Any(f => f.Tag == 0x82 && f.Value.Length == 0))
        {
            return ResponseApdu.Error(StatusWords.IncorrectData);
        }

        switch (command.P2)
        {
            case 0x9E:
                break;
            case 0x9C when !_signatureKeyUnlocked:
                return ResponseApdu.Error(StatusWords.SecurityStatusNotSatisfied);
            case 0x9C:
                _signatureKeyUnlocked = false;
                break;
            default:
                if (!_pin.Verified)
                {
                    return ResponseApdu.Error(StatusWords.SecurityStatusNotSatisfied);
                }

                break;
        }

        var signature = key.IsRsa ? key.RawRsa(challenge) : key.EcdsaSign(challenge);
        return signature is null
            ? ResponseApdu.Error(StatusWords.IncorrectData)
            : ResponseApdu.Ok(Tlv.Encode(0x7C, Tlv.Encode(0x82, signature)));
    }

    /// <summary>Discovery object (Part 1 §3.3.2 Table 18): the PIV AID and the PIN usage policy (PIV PIN only).</summary>
    private static byte[] Discovery() =>
        Tlv.Encode(0x7E, [.. Tlv.Encode(0x4F, Aid), .. Tlv.Encode(0x5F2F, [0x40, 0x00])]);

    /// <summary>Card capability container (Part 1 Table 8), the card identifier from the GSC-IS RID and the card's GUID.</summary>
    private static byte[] CardCapabilityContainer(byte[] guid)
    {
        byte[] identifier = [0xA0, 0x00, 0x00, 0x01, 0x16, 0xFF, 0x02, .. guid.AsSpan(0, 14)];
        return [
            .. Tlv.Encode(0xF0, identifier), .. Tlv.Encode(0xF1, [0x21]), .. Tlv.Encode(0xF2, [0x21]), .. Tlv.Encode(0xF3, []),
            .. Tlv.Encode(0xF4, [0x00]), .. Tlv.Encode(0xF5, [0x10]), .. Tlv.Encode(0xF6, []), .. Tlv.Encode(0xF7, []),
            .. Tlv.Encode(0xFA, []), .. Tlv.Encode(0xFB, []), .. Tlv.Encode(0xFC, []), .. Tlv.Encode(0xFD, []), .. Tlv.Encode(0xFE, [])];
    }
}
