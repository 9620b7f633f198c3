namespace TokenService.Tests.Hardware.SelfTest;

/// <summary>
/// The calls OpenSC's pkcs11-spy logged (PKCS11SPY_OUTPUT), in order: "12: C_Login" headers, with the
/// userType of each C_Login ("[in] userType = CKU_CONTEXT_SPECIFIC"). The log also holds PIN bytes: it lives in
/// the fixture's temporary directory and goes with it.
/// </summary>
internal sealed record SpiedCall(string Function, string? UserType)
{
    public static IReadOnlyList<SpiedCall> Read(string path)
    {
        var calls = new List<SpiedCall>();
        foreach (var line in File.Exists(path) ? File.ReadLines(path) : [])
        {
            var parts = line.Split(": ", 2);
            if (parts.Length == 2 && parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit) && parts[1].StartsWith("C_", StringComparison.Ordinal))
            {
                calls.Add(new SpiedCall(parts[1].Trim(), null));
            }
            else if (line.StartsWith("[in] userType = ", StringComparison.Ordinal) && calls.Count > 0)
            {
                calls[^1] = calls[^1] with { UserType = line["[in] userType = ".Length..].Trim() };
            }
        }

        return calls;
    }

    /// <summary>The environment that puts the spy in front of <paramref name="module"/>, logging to <paramref name="log"/>.</summary>
    public static Dictionary<string, string> Environment(string module, string log, IReadOnlyDictionary<string, string> more) =>
        new(more) { ["PKCS11SPY"] = module, ["PKCS11SPY_OUTPUT"] = log };
}
