using TokenService.Contracts;
using TokenService.Reporting;

namespace TokenService.Handshake;

/// <summary>Real result against prediction: pure.</summary>
internal static class HandshakeComparison
{
    public const string RealStack = "dotnet-sslstream";

    /// <summary>
    /// Agreement: the same outcome and, where both the real handshake (TLS 1.2, seen on the wire) and the prediction
    /// name the client's scheme, the same scheme. Causes are shown side by side but not compared: a prediction's
    /// cause names the mechanism, the real one what the alert or error said.
    /// </summary>
    public static bool Agrees(HandshakeOutcome real, ClientOutcomeEntry predicted) =>
        real.Ok == (predicted.Outcome == "ok")
        && (real.Scheme is not { } scheme || predicted.Scheme is null || ContractMapping.SchemeName(scheme) == predicted.Scheme);

    public static HandshakePrediction Prediction(ClientOutcomeEntry predicted, string stack, string serverModel) => new()
    {
        Outcome = predicted.Outcome,
        Scheme = predicted.Scheme,
        Error = predicted.Error,
        Cause = predicted.Cause,
        Stack = stack,
        ServerModel = serverModel,
    };
}
