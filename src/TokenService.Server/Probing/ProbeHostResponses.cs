namespace TokenService.Probing;

/// <summary>What the parent makes of a host's answer.</summary>
internal static class ProbeHostResponses
{
    /// <summary>Maps an answer to a probe outcome; anything the parent did not ask for is the host's failure.</summary>
    public static ProbeOutcome ToOutcome(ProbeHostResponse response, TimeSpan duration)
    {
        var (status, error) = response switch
        {
            { Status: ProbeHostStatus.Completed, Report: not null } => (ProbeStatus.Completed, null),
            { Status: ProbeHostStatus.Completed } => (ProbeStatus.ModuleFailed, "the probe host answered 'completed' without a report"),
            { Status: ProbeHostStatus.TokenNotFound } => (ProbeStatus.TokenNotFound, response.Error),
            { Status: ProbeHostStatus.RemovedDuringProbe } => (ProbeStatus.RemovedDuringProbe, response.Error),
            { Status: ProbeHostStatus.ModuleFailed or ProbeHostStatus.BadRequest } => (ProbeStatus.ModuleFailed, response.Error),
            _ => (ProbeStatus.ModuleFailed, $"the probe host answered '{response.Status}' to a probe"),
        };
        return new ProbeOutcome(status, status == ProbeStatus.Completed ? response.Report : null, error, duration)
        {
            HostDuration = TimeSpan.FromMilliseconds(response.ElapsedMilliseconds),
        };
    }
}
