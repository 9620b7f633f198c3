using TokenService.Handshake;
using Xunit;

namespace TokenService.Tests.Unit.Handshake;

public sealed class TlsRecordObserverTests
{
    private static byte[] Record(byte type, params byte[] body) =>
        [type, 0x03, 0x03, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] Message(byte type, params byte[] body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    [Fact]
    public void Feed_Tls12ClientFlight_ReadsCertificateAndCertificateVerifyScheme()
    {
        var parser = new TlsRecordObserver.RecordParser(parseHandshake: true);
        byte[] certificate = Message(11, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00);
        byte[] keyExchange = Message(16, 0x01, 0x02);
        byte[] verify = Message(15, 0x08, 0x04, 0x00, 0x02, 0xAA, 0xBB);

        parser.Feed(Record(22, [.. certificate, .. keyExchange, .. verify]));

        Assert.False(parser.CertificateEmpty);
        Assert.Equal((ushort)0x0804, parser.CertificateVerifyScheme);
        Assert.Equal(1, parser.CompletedRecords);
    }

    [Fact]
    public void Feed_MessageSplitAcrossRecordsAndByteWrites_IsReassembled()
    {
        var parser = new TlsRecordObserver.RecordParser(parseHandshake: true);
        byte[] verify = Message(15, 0x04, 0x03, 0x00, 0x01, 0x30);
        byte[] wire = [.. Record(22, verify[..3]), .. Record(22, verify[3..])];

        foreach (var b in wire)
        {
            parser.Feed([b]);
        }

        Assert.Equal((ushort)0x0403, parser.CertificateVerifyScheme);
        Assert.Equal(2, parser.CompletedRecords);
    }

    [Fact]
    public void Feed_EmptyCertificateList_IsSeenAsEmpty()
    {
        var parser = new TlsRecordObserver.RecordParser(parseHandshake: true);

        parser.Feed(Record(22, Message(11, 0x00, 0x00, 0x00)));

        Assert.True(parser.CertificateEmpty);
    }

    [Fact]
    public void Feed_HandshakeAfterChangeCipherSpec_IsNotParsed()
    {
        var parser = new TlsRecordObserver.RecordParser(parseHandshake: true);

        parser.Feed([.. Record(20, 0x01), .. Record(22, Message(15, 0x08, 0x04, 0x00, 0x00))]);

        Assert.Null(parser.CertificateVerifyScheme);
        Assert.Equal(2, parser.CompletedRecords);
    }

    [Fact]
    public async Task ReadAsync_AfterAWholePostHandshakeRecordWasConsumed_SignalsIt()
    {
        using var server = new MemoryStream([.. Record(22, Message(2, 0x00)), .. Record(23, 0x01, 0x02, 0x03), .. Record(23, 0x04)]);
        using var observer = new TlsRecordObserver(server);
        var buffer = new byte[10];

        await observer.ReadExactlyAsync(buffer.AsMemory(0, 10));
        observer.MarkHandshakeComplete();
        await observer.ReadExactlyAsync(buffer.AsMemory(0, 8));
        Assert.False(observer.PostHandshakeRecordConsumed.IsCompleted);
        await observer.ReadExactlyAsync(buffer.AsMemory(0, 4));

        Assert.True(observer.PostHandshakeRecordConsumed.IsCompleted);
    }
}
