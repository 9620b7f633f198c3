using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net.Sockets;
using TokenService.VirtualCards;

namespace TokenService.Bench;

/// <summary>A vsmartcard-vpcd reader: its pcscd name and the TCP port a card connects to.</summary>
internal sealed record VirtualReader(string Name, int Port)
{
    /// <summary>The two readers /etc/reader.conf.d/vpcd gives (docs/tls-client-auth.md §6).</summary>
    public static readonly VirtualReader First = new("Virtual PCD 00 00", 35963);
    public static readonly VirtualReader Second = new("Virtual PCD 00 01", 35964);
}

/// <summary>
/// A card in a vpcd reader (`bench-watch` and the hardware tests): connecting to the reader's port inserts it, closing the socket removes it.
/// It speaks vpcd's protocol: every message is a 2-byte big-endian length and a payload; a 1-byte payload
/// from vpcd is a control code (0 power off, 1 power on, 2 reset, 4 get ATR, answered with the ATR),
/// a longer one is a command APDU, answered with a response APDU: by the card's <see cref="CardEdge"/> when it has
/// one (a virtual PIV or JPKI card), else with 6D00 (a card without applications).
/// </summary>
internal sealed class VirtualCard : IAsyncDisposable
{
    private const byte PowerOff = 0;
    private const byte PowerOn = 1;
    private const byte Reset = 2;
    private const byte GetAtr = 4;

    /// <summary>SW 6D00, instruction not supported (ISO/IEC 7816-4 §5.6): the answer to every APDU.</summary>
    private static readonly byte[] InstructionNotSupported = [0x6D, 0x00];

    private readonly NetworkStream _connection;
    private readonly CardEdge? _edge;
    private readonly Task _answering;
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _atrRequests;

    private VirtualCard(VirtualReader reader, ImmutableArray<byte> atr, Socket socket, CardEdge? edge)
    {
        Reader = reader;
        Atr = atr;
        _edge = edge;
        _connection = new NetworkStream(socket, ownsSocket: true);
        _answering = Task.Run(AnswerAsync);
    }

    public VirtualReader Reader { get; }

    public ImmutableArray<byte> Atr { get; }

    /// <summary>How many times vpcd asked for the ATR: more than zero once pcscd has seen the card.</summary>
    public int AtrRequests => Volatile.Read(ref _atrRequests);

    /// <summary>
    /// Completes when vpcd first speaks to the card (pcscd's presence poll asks for the ATR): the card is in the reader.
    /// vpcd takes one card per reader and listens with a backlog: a second card's connection is made by the kernel
    /// and then waits, unanswered, until the first card leaves (vsmartcard vpcd.c: listen, and accept only while no
    /// card is connected). Until this completes the card is not in the reader.
    /// </summary>
    public Task Accepted => _accepted.Task;

    /// <summary>Completes when the card is removed: by <see cref="DisposeAsync"/>, or by vpcd closing the connection (pcscd stopped).</summary>
    public Task Removed => _answering;

    /// <summary>
    /// Inserts a card with <paramref name="atr"/> into <paramref name="reader"/>. Retries a refused connection
    /// (pcscd starting) until <paramref name="timeout"/>. With <paramref name="edge"/> the card answers APDUs through it.
    /// </summary>
    public static async Task<VirtualCard> InsertAsync(VirtualReader reader, ImmutableArray<byte> atr, TimeSpan timeout, CardEdge? edge = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync("127.0.0.1", reader.Port, deadline.Token);
                return new VirtualCard(reader, atr, socket, edge);
            }
            catch (SocketException) when (!deadline.IsCancellationRequested)
            {
                socket.Dispose();
                await Task.Delay(50, CancellationToken.None);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                throw new TimeoutException(
                    $"vpcd did not accept a card on 127.0.0.1:{reader.Port} ({reader.Name}) within {timeout}: is pcscd running with vsmartcard-vpcd? (eng/start-pcscd.sh)",
                    e);
            }
        }
    }

    /// <summary>Removes the card: closes the socket, which vpcd reports to pcscd as a removal.</summary>
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _answering.ConfigureAwait(false);
    }

    private async Task AnswerAsync()
    {
        var header = new byte[2];
        try
        {
            while (true)
            {
                await _connection.ReadExactlyAsync(header);
                _accepted.TrySetResult();
                var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
                await _connection.ReadExactlyAsync(payload);
                if (payload.Length == 1)
                {
                    switch (payload[0])
                    {
                        case GetAtr:
                            Interlocked.Increment(ref _atrRequests);
                            await SendAsync(Atr.AsMemory());
                            break;
                        case PowerOff or PowerOn or Reset:
                            _edge?.Reset(); // security status is lost
                            break;
                    }
                }
                else if (payload.Length > 1)
                {
                    await SendAsync(_edge is null ? InstructionNotSupported : _edge.Transmit(payload));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Removed by DisposeAsync, or vpcd closed the connection (pcscd stopped).
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> payload)
    {
        var message = new byte[2 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)payload.Length);
        payload.CopyTo(message.AsMemory(2));
        await _connection.WriteAsync(message);
    }
}
