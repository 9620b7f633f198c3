namespace TokenService.Handshake;

/// <summary>
/// Sits between SslStream and the socket and reads the TLS record layer as it passes (RFC 8446 §5.1,
/// RFC 5246 §6.2), changing nothing. It learns what .NET does not expose: the client's CertificateVerify
/// scheme and whether its Certificate was empty, while they travel in the clear (TLS 1.2: the whole client
/// flight up to ChangeCipherSpec; TLS 1.3 encrypts them, so they stay unknown), and whether the server sent a
/// record after the handshake that SslStream consumed without failing (a TLS 1.3 NewSessionTicket).
/// </summary>
internal sealed class TlsRecordObserver(Stream inner) : Stream
{
    private readonly RecordParser fromClient = new(parseHandshake: true);
    private readonly RecordParser fromServer = new(parseHandshake: false);
    private readonly TaskCompletionSource postHandshakeRecordConsumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int handshakeRecordMark = -1;

    /// <summary>The SignatureScheme of the client's CertificateVerify, when it was sent in the clear.</summary>
    public ushort? ClientSignatureScheme => fromClient.CertificateVerifyScheme;

    /// <summary>True when the client's Certificate, sent in the clear, held no certificate; null when unseen.</summary>
    public bool? ClientCertificateEmpty => fromClient.CertificateEmpty;

    /// <summary>Whole records the server has sent so far.</summary>
    public int ServerRecords => Volatile.Read(ref fromServer.CompletedRecords);

    /// <summary>
    /// Completes when SslStream asks for more data after it has been given a whole server record that arrived
    /// after <see cref="MarkHandshakeComplete"/>: it processed that record without an error (a fatal alert
    /// would have ended the read with an exception instead).
    /// </summary>
    public Task PostHandshakeRecordConsumed => postHandshakeRecordConsumed.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Call when AuthenticateAsClientAsync has returned: later server records are post-handshake.</summary>
    public void MarkHandshakeComplete() => Volatile.Write(ref handshakeRecordMark, ServerRecords);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        NoteReadRequested();
        var n = inner.Read(buffer);
        fromServer.Feed(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        NoteReadRequested();
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        fromServer.Feed(buffer.Span[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fromClient.Feed(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        fromClient.Feed(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void NoteReadRequested()
    {
        var mark = Volatile.Read(ref handshakeRecordMark);
        if (mark >= 0 && ServerRecords > mark)
        {
            postHandshakeRecordConsumed.TrySetResult();
        }
    }

    /// <summary>
    /// One direction of the record layer: whole records are counted; handshake messages are read until that side's
    /// ChangeCipherSpec (after it, records are encrypted). Handshake messages may span records (RFC 5246 §6.2.1).
    /// </summary>
    internal sealed class RecordParser(bool parseHandshake)
    {
        private const byte ChangeCipherSpec = 20;
        private const byte HandshakeContent = 22;
        private const byte CertificateMessage = 11;
        private const byte CertificateVerifyMessage = 15;

        private readonly byte[] header = new byte[5];
        private readonly List<byte> handshake = [];
        private int headerFilled;
        private int bodyRemaining;
        private byte contentType;
        private bool encrypted;

        public int CompletedRecords;

        public ushort? CertificateVerifyScheme { get; private set; }

        public bool? CertificateEmpty { get; private set; }

        public void Feed(ReadOnlySpan<byte> data)
        {
            lock (handshake)
            {
                while (!data.IsEmpty)
                {
                    if (headerFilled < header.Length)
                    {
                        var take = Math.Min(header.Length - headerFilled, data.Length);
                        data[..take].CopyTo(header.AsSpan(headerFilled));
                        headerFilled += take;
                        data = data[take..];
                        if (headerFilled == header.Length)
                        {
                            contentType = header[0];
                            bodyRemaining = (header[3] << 8) | header[4];
                            if (bodyRemaining == 0)
                            {
                                EndRecord();
                            }
                        }

                        continue;
                    }

                    var part = Math.Min(bodyRemaining, data.Length);
                    if (parseHandshake && !encrypted && contentType == HandshakeContent)
                    {
                        foreach (var b in data[..part])
                        {
                            handshake.Add(b);
                        }

                        ReadHandshakeMessages();
                    }

                    bodyRemaining -= part;
                    data = data[part..];
                    if (bodyRemaining == 0)
                    {
                        EndRecord();
                    }
                }
            }
        }

        private void EndRecord()
        {
            if (contentType == ChangeCipherSpec)
            {
                encrypted = true;
            }

            headerFilled = 0;
            Interlocked.Increment(ref CompletedRecords);
        }

        private void ReadHandshakeMessages()
        {
            // Handshake header: msg_type (1), length (3) (RFC 8446 §4, RFC 5246 §7.4).
            while (handshake.Count >= 4)
            {
                var length = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3];
                if (handshake.Count < 4 + length)
                {
                    return;
                }

                switch (handshake[0])
                {
                    case CertificateMessage when length >= 3:
                        // TLS 1.2 Certificate: certificate_list<0..2^24-1> (RFC 5246 §7.4.2); empty when no certificate.
                        CertificateEmpty = ((handshake[4] << 16) | (handshake[5] << 8) | handshake[6]) == 0;
                        break;
                    case CertificateVerifyMessage when length >= 2:
                        // digitally-signed: SignatureAndHashAlgorithm first (RFC 5246 §4.7, §7.4.8).
                        CertificateVerifyScheme = (ushort)((handshake[4] << 8) | handshake[5]);
                        break;
                }

                handshake.RemoveRange(0, 4 + length);
            }
        }
    }
}
