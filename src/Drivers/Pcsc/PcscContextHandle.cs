using System.Runtime.InteropServices;

namespace TokenService.Drivers.Pcsc;

/// <summary>
/// An SCARDCONTEXT from SCardEstablishContext. Releasing it calls SCardReleaseContext through the binding
/// that made it. A context belongs to the thread that established it; the one call another thread may make
/// on it is SCardCancel (pcsc-lite API, SCardEstablishContext).
/// </summary>
internal sealed class PcscContextHandle : SafeHandle
{
    private readonly IPcscApi _api;

    internal PcscContextHandle(IPcscApi api, nint context)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _api = api;
        SetHandle(context);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => _api.ReleaseContext(handle) == PcscErrors.Success;
}
