using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.SelfTest;
using TokenService.Verdicts;
using TokenService.Verdicts.Clients;

namespace TokenService.Reporting;

/// <summary>
/// A module snapshot judged by the engine (<see cref="VerdictEngine"/>) and spelt as the contract report
/// (<see cref="ContractMapping"/>): pure, no I/O; the clock comes from a TimeProvider (certificate dates). A
/// self-test report, when given, is evidence about the keys that the verdict is computed from, and is listed per key.
/// </summary>
internal static class ReportBuilder
{
    /// <param name="targets">The client stacks the headline answers for (`--clients`, `Verdict:Clients`); every stack when null.</param>
    public static TokenReport Build(ModuleSnapshot module, ServerModel server, TimeProvider time, SelfTestReport? selfTest = null, ClientTargets? targets = null)
    {
        var now = time.GetUtcNow();
        return ContractMapping.Report(VerdictEngine.Judge(module, server, now, selfTest, targets), server, now, selfTest);
    }

    public static TokenEntry BuildToken(TokenSnapshot token, ServerModel server, DateTimeOffset now, SelfTestReport? selfTest = null) =>
        ContractMapping.Token(VerdictEngine.JudgeToken(token, server, now, selfTest), selfTest);
}
