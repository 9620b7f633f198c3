using TokenService.VirtualCards;

namespace TokenService.Tests.Hardware.VirtualCards;

/// <summary>
/// A virtual card that holds back the answer to the first GET DATA of the 9A certificate (5F C1 05) until released:
/// OpenSC in a probe host is then mid-read, and a test can pull the card at that moment.
/// </summary>
internal sealed class GatedApplication(ICardApplication inner) : ICardApplication, IDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _release = new();

    public Task Reached => _reached.Task;

    public ResponseApdu Process(CommandApdu command)
    {
        if (command.Ins == 0xCB && command.Data.AsSpan().SequenceEqual((byte[])[0x5C, 0x03, 0x5F, 0xC1, 0x05]) && _reached.TrySetResult())
        {
            _release.Wait(TimeSpan.FromSeconds(60));
        }

        return inner.Process(command);
    }

    public void Reset() => inner.Reset();

    public void Release() => _release.Set();

    public void Dispose()
    {
        _release.Dispose();
        (inner as IDisposable)?.Dispose();
    }
}
