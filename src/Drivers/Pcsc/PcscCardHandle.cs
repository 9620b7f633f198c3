using System.Runtime.InteropServices;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// An SCARDHANDLE from SCardConnect. Releasing it calls SCardDisconnect(SCARD_LEAVE_CARD). It holds a
/// reference on its context, because releasing a context also ends its card connections (pcsc-lite API,
/// SCardReleaseContext): the context is released only after the last card handle.
/// </summary>
internal sealed class PcscCardHandle : SafeHandle
{
    private readonly IPcscApi _api;
    private readonly PcscContextHandle _context;
    private readonly bool _contextReferenced;

    internal PcscCardHandle(IPcscApi api, PcscContextHandle context, nint card, PcscProtocols activeProtocol)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _api = api;
        _context = context;
        ActiveProtocol = activeProtocol;
        context.DangerousAddRef(ref _contextReferenced);
        SetHandle(card);
    }

    /// <summary>The protocol SCardConnect negotiated.</summary>
    public PcscProtocols ActiveProtocol { get; }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        var released = _api.Disconnect(handle, PcscDisposition.LeaveCard) == PcscErrors.Success;
        if (_contextReferenced)
        {
            _context.DangerousRelease();
        }

        return released;
    }
}
