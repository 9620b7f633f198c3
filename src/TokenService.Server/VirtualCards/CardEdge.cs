namespace TokenService.VirtualCards;

/// <summary>An application on a virtual card: answers whole commands (chaining and GET RESPONSE are the edge's).</summary>
internal interface ICardApplication
{
    /// <summary>The answer to one complete command; its data may be longer than the reader takes at once.</summary>
    ResponseApdu Process(CommandApdu command);

    /// <summary>Power off, power on or reset: security status is lost (ISO/IEC 7816-4 §5.3.3).</summary>
    void Reset();
}

/// <summary>
/// The transmission edge of a virtual card, between vpcd and the application: joins chained commands
/// (ISO/IEC 7816-4 §5.1.1.1, CLA b5), hands out long answers in pieces of at most Le bytes with SW 61xx and
/// GET RESPONSE (§7.6.1, INS C0). A command without Le (a case 4 APDU over T=0) gets up to 256 bytes.
/// </summary>
internal sealed class CardEdge(ICardApplication application)
{
    private const byte GetResponse = 0xC0;
    private const int ShortMaximum = 256;

    private readonly Lock _gate = new();
    private readonly List<byte> _chained = [];
    private (byte Ins, byte P1, byte P2)? _chainHeader;
    private byte[] _pending = [];
    private int _pendingOffset;
    private ushort _pendingStatus = StatusWords.Success;

    public ICardApplication Application { get; } = application;

    /// <summary>Answers one command APDU as the card would.</summary>
    public byte[] Transmit(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            var command = CommandApdu.Parse(bytes);
            if (command is null)
            {
                Clear();
                return ResponseApdu.Error(StatusWords.WrongLength).ToBytes();
            }

            if (command.Ins == GetResponse && (command.Cla & 0x10) == 0)
            {
                return NextPiece(command.Le ?? ShortMaximum);
            }

            _pending = [];
            if (command.ChainsMore)
            {
                if (_chainHeader is { } header && header != (command.Ins, command.P1, command.P2))
                {
                    Clear();
                    return ResponseApdu.Error(StatusWords.ConditionsNotSatisfied).ToBytes();
                }

                _chainHeader = (command.Ins, command.P1, command.P2);
                _chained.AddRange(command.Data);
                return ResponseApdu.Error(StatusWords.Success).ToBytes();
            }

            if (_chainHeader is not null)
            {
                var joined = _chainHeader == (command.Ins, command.P1, command.P2);
                byte[] data = [.. _chained, .. command.Data];
                Clear();
                if (!joined)
                {
                    return ResponseApdu.Error(StatusWords.ConditionsNotSatisfied).ToBytes();
                }

                command = command with { Data = data };
            }

            var response = Application.Process(command);
            _pending = response.Data;
            _pendingOffset = 0;
            _pendingStatus = response.Status;
            return NextPiece(command.Le ?? ShortMaximum);
        }
    }

    /// <summary>Power off, on or reset from vpcd.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Clear();
            _pending = [];
            Application.Reset();
        }
    }

    private byte[] NextPiece(int le)
    {
        var remaining = _pending.Length - _pendingOffset;
        var take = Math.Min(remaining, le);
        var piece = _pending.AsSpan(_pendingOffset, take).ToArray();
        _pendingOffset += take;
        var left = remaining - take;
        ushort status = left > 0 ? (ushort)(0x6100 | Math.Min(left, 0xFF) & 0xFF) : _pendingStatus;
        if (left > 0 && left >= ShortMaximum)
        {
            status = 0x6100; // 61 00: 256 or more bytes still available
        }

        if (left == 0)
        {
            _pending = [];
            _pendingOffset = 0;
        }

        return new ResponseApdu(piece, status).ToBytes();
    }

    private void Clear()
    {
        _chained.Clear();
        _chainHeader = null;
    }
}
