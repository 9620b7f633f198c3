namespace TokenService.VirtualCards;

/// <summary>
/// The JPKI application of a Japanese Individual Number ("My Number") card, as far as OpenSC's `jpki` driver
/// (src/libopensc/card-jpki.c, pkcs15-jpki.c, jpki.h) uses it: SELECT of the AP by name (D3 92 F0 00 26 01 00 00 00 01)
/// and of its EFs by identifier (P2 0C, no FCI), READ BINARY of the certificate EFs, VERIFY of the user
/// authentication PIN (EF 0018, 4 digits, 3 tries) and the signature PIN (EF 001B, 5 tries), and COMPUTE DIGITAL
/// SIGNATURE (80 2A 00 80) with the selected key EF: the card pads the DigestInfo it is given with PKCS#1 v1.5
/// and signs. It has no raw RSA and no PSS: that is the card of a TLS 1.3 failure.
/// </summary>
internal sealed class JpkiApplication : ICardApplication, IDisposable
{
    public static readonly byte[] Aid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

    /// <summary>EF identifiers (jpki.h, pkcs15-jpki.c).</summary>
    public const string AuthenticationKey = "0017";
    public const string AuthenticationPin = "0018";
    public const string AuthenticationCertificate = "000A";
    public const string AuthenticationCaCertificate = "000B";
    public const string SignatureKey = "001A";
    public const string SignaturePin = "001B";
    public const string SignatureCertificate = "0001";
    public const string SignatureCaCertificate = "0002";

    private const byte InsSelect = 0xA4;
    private const byte InsReadBinary = 0xB0;
    private const byte InsVerify = 0x20;
    private const byte InsSign = 0x2A;

    private readonly CardState _state;
    private readonly Dictionary<string, CardPin> _pins;
    private readonly Dictionary<string, (CardKey Key, string Pin)> _keys = [];
    private bool _applicationSelected;
    private string? _current;

    public JpkiApplication(CardState state)
    {
        _state = state;
        _pins = new Dictionary<string, CardPin>
        {
            [AuthenticationPin] = new(state, AuthenticationPin),
            [SignaturePin] = new(state, SignaturePin),
        };
        foreach (var (keyFile, pin, certificateFile) in new[] { (AuthenticationKey, AuthenticationPin, AuthenticationCertificate), (SignatureKey, SignaturePin, SignatureCertificate) })
        {
            if (state.Key(certificateFile)?.PrivateKey is { } pkcs8)
            {
                _keys[keyFile] = (CardKey.FromPkcs8(pkcs8), pin);
            }
        }
    }

    public ResponseApdu Process(CommandApdu command) => command.Ins switch
    {
        InsSelect when command.Cla == 0x00 => Select(command),
        InsReadBinary when command.Cla == 0x00 => ReadBinary(command),
        InsVerify when command.Cla == 0x00 => Verify(command),
        InsSign when command.Cla == 0x80 => Sign(command),
        InsSelect or InsReadBinary or InsVerify or InsSign => ResponseApdu.Error(StatusWords.ClassNotSupported),
        _ => ResponseApdu.Error(StatusWords.InstructionNotSupported),
    };

    public void Reset()
    {
        _applicationSelected = false;
        _current = null;
        foreach (var pin in _pins.Values)
        {
            pin.Forget();
        }
    }

    public void Dispose()
    {
        foreach (var (key, _) in _keys.Values)
        {
            key.Dispose();
        }
    }

    private ResponseApdu Select(CommandApdu command)
    {
        switch (command.P1)
        {
            case 0x04 when command.Data.AsSpan().SequenceEqual(Aid):
                _applicationSelected = true;
                _current = null;
                return ResponseApdu.Error(StatusWords.Success);
            case 0x02 when _applicationSelected && command.Data.Length == 2:
                var file = Convert.ToHexString(command.Data);
                if (_pins.ContainsKey(file) || _keys.ContainsKey(file) || _state.Key(file) is not null)
                {
                    _current = file;
                    return ResponseApdu.Error(StatusWords.Success);
                }

                return ResponseApdu.Error(StatusWords.FileNotFound);
            default:
                return ResponseApdu.Error(StatusWords.FileNotFound);
        }
    }

    private ResponseApdu ReadBinary(CommandApdu command)
    {
        if (_current is null || _state.Key(_current) is not { } record)
        {
            return ResponseApdu.Error(StatusWords.ConditionsNotSatisfied); // no EF selected, or not a transparent EF
        }

        // The signature certificate is readable only after the signature PIN (pkcs15-jpki.c marks it private).
        if (_current == SignatureCertificate && !_pins[SignaturePin].Verified)
        {
            return ResponseApdu.Error(StatusWords.SecurityStatusNotSatisfied);
        }

        var offset = ((command.P1 & 0x7F) << 8) | command.P2;
        var data = record.Certificate;
        if (offset > data.Length)
        {
            return ResponseApdu.Error(0x6B00);
        }

        var length = Math.Min(command.Le ?? 256, data.Length - offset);
        return ResponseApdu.Ok(data.AsSpan(offset, length).ToArray());
    }

    /// <summary>VERIFY of the selected PIN EF: no data answers 63Cx (tries left) as JPKI cards do; the ASCII PIN otherwise.</summary>
    private ResponseApdu Verify(CommandApdu command)
    {
        if (command.P2 != 0x80 || _current is null || !_pins.TryGetValue(_current, out var pin))
        {
            return ResponseApdu.Error(StatusWords.ReferenceNotFound);
        }

        if (command.Data.Length == 0)
        {
            // Even verified or blocked (63C0): card-jpki.c's GET_INFO takes anything but 63xx for an error.
            return ResponseApdu.Error(StatusWords.TriesLeft(_state.Pin(_current).TriesLeft));
        }

        return ResponseApdu.Error(pin.Verify(command.Data));
    }

    /// <summary>COMPUTE DIGITAL SIGNATURE with the selected key EF: PKCS#1 v1.5 type 1 padding of the data on the card.</summary>
    private ResponseApdu Sign(CommandApdu command)
    {
        if (command.P1 != 0x00 || command.P2 != 0x80)
        {
            return ResponseApdu.Error(StatusWords.IncorrectP1P2);
        }

        if (_current is null || !_keys.TryGetValue(_current, out var entry))
        {
            return ResponseApdu.Error(StatusWords.ConditionsNotSatisfied);
        }

        if (!_pins[entry.Pin].Verified)
        {
            return ResponseApdu.Error(StatusWords.SecurityStatusNotSatisfied);
        }

        var signature = entry.Key.Pkcs1Sign(command.Data);
        return signature is null ? ResponseApdu.Error(StatusWords.WrongLength) : ResponseApdu.Ok(signature);
    }
}
