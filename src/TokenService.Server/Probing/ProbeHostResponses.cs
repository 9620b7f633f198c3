namespace TokenService.Probing;

/// <summary>What the parent makes of a host's answer.</summary>
internal static class ProbeHostResponses
{
    /// <summary>Maps an answer to a probe outcome; anything the parent did not ask for is the host's failure.</summary>
    public static ProbeOutcome ToOutcome(ProbeHostResponse response, TimeSpan duration)
    {
#pragma warning disable CS8524 // every named status is listed (CS8509 would flag one missing); a cast integer throws
        var (status, error) = response switch
        {
            { Status: ProbeHostStatus.Completed, Report: not null } => (ProbeStatus.Completed, null),
            { Status: ProbeHostStatus.Completed } => (ProbeStatus.ModuleFailed, "the probe host answered 'completed' without a report"),
            { Status: ProbeHostStatus.TokenNotFound } => (ProbeStatus.TokenNotFound, response.Error),
            { Status: ProbeHostStatus.RemovedDuringProbe } => (ProbeStatus.RemovedDuringProbe, response.Error),
            { Status: ProbeHostStatus.ModuleFailed or ProbeHostStatus.BadRequest } => (ProbeStatus.ModuleFailed, response.Error),
            { Status: ProbeHostStatus.Ready or ProbeHostStatus.Accepted } => (ProbeStatus.ModuleFailed, $"the probe host answered {response.Status} to a probe"),
        };
#pragma warning restore CS8524
        return new ProbeOutcome(status, status == ProbeStatus.Completed ? response.Report : null, error, duration)
        {
            HostDuration = TimeSpan.FromMilliseconds(response.ElapsedMilliseconds),
        };
    }
}
