using System.Globalization;

namespace TokenService.Drivers.Pcsc;

/// <summary>A PC/SC function returned a code other than the ones its wrapper turns into a result.</summary>
internal sealed class PcscException : Exception
{
    public PcscException(string function, uint code)
        : base(string.Format(
            CultureInfo.InvariantCulture,
            "{0} failed: {1} (0x{2:X8}): {3}",
            function,
            PcscErrors.Name(code),
            code,
            PcscErrors.Meaning(code)))
    {
        Function = function;
        Code = code;
    }

    /// <summary>The PC/SC function that failed, e.g. <c>SCardGetStatusChange</c>.</summary>
    public string Function { get; }

    /// <summary>The SCARD_ code, low 32 bits (see <see cref="PcscErrors"/>).</summary>
    public uint Code { get; }

    /// <summary>The SCARD_ name of <see cref="Code"/>.</summary>
    public string CodeName => PcscErrors.Name(Code);

    /// <summary>True when the context is dead because pcscd stopped or restarted.</summary>
    public bool IsServiceUnavailable => PcscErrors.IsServiceUnavailable(Code);

    /// <exception cref="PcscException">when <paramref name="code"/> is not SCARD_S_SUCCESS.</exception>
    public static void ThrowIfFailed(uint code, string function)
    {
        if (code != PcscErrors.Success)
        {
            throw new PcscException(function, code);
        }
    }
}
