using System.Collections.Frozen;
using System.Collections.Immutable;
using TokenService.Drivers.Pkcs11;
using TokenService.Drivers.Snapshots;
using TokenService.Verdicts;

namespace TokenService.SelfTest;

/// <summary>Every outcome of one self-test run, per token (slot) and private key (object handle).</summary>
internal sealed class SelfTestReport(FrozenDictionary<(ulong SlotId, ulong KeyHandle), ImmutableArray<SelfTestOutcome>> outcomes) : ISigningEvidence
{
    public ImmutableArray<SelfTestOutcome> For(TokenSnapshot token, PrivateKeySnapshot key) =>
        outcomes.TryGetValue((token.SlotId, key.Handle), out var found) ? found : [];

    /// <summary>The failures the verdict engine takes as observations (<see cref="KeyFacts.SigningFailures"/>).</summary>
    public ImmutableArray<ObservedSigningFailure> FailuresFor(TokenSnapshot token, PrivateKeySnapshot key) =>
        [.. For(token, key).Select(o => o.AsObservation()).OfType<ObservedSigningFailure>().Distinct()];
}

/// <summary>
/// The self-test: plans the signatures (<see cref="SelfTestPlanner"/>), has the token make them through the
/// signer it is given (one login per token), and checks each with the public key. Signs only on tokens the
/// inventory logged in to with the same PIN: a refused or failed login is never tried again here.
/// </summary>
internal static class SelfTestRun
{
    public static SelfTestReport Run(
        ModuleSnapshot module,
        ServerModel server,
        byte[]? pin,
        Func<SignRequest, SignResult> sign,
        Action<Span<byte>> random)
    {
        var outcomes = new Dictionary<(ulong, ulong), ImmutableArray<SelfTestOutcome>>();
        foreach (var token in module.Tokens)
        {
            var keys = KeyFacts.FromToken(token);
            var cases = SelfTestPlanner.Plan(keys, new TokenMechanisms(token), server, random);
            var done = Execute(token, cases, pin, sign);
            foreach (var key in keys)
            {
                outcomes[(token.SlotId, key.Key.Handle)] = [.. done.Where(d => ReferenceEquals(d.Case.Key, key)).Select(d => d.Outcome)];
            }
        }

        return new SelfTestReport(outcomes.ToFrozenDictionary());
    }

    private static List<(PlannedCase Case, SelfTestOutcome Outcome)> Execute(
        TokenSnapshot token, ImmutableArray<PlannedCase> cases, byte[]? pin, Func<SignRequest, SignResult> sign)
    {
        var probes = cases.Where(c => c.Probe is not null).ToList();
        var whyNotSigned = pin is null ? "no PIN given (--pin-stdin, --pin-env or --pin-file): nothing is signed without a login"
            : token.Login != LoginOutcome.LoggedIn ? $"the inventory's login did not succeed ({token.LoginMessage ?? "no login was made"}); the self-test does not log in again"
            : null;
        var results = new Dictionary<PlannedCase, SelfTestOutcome>(ReferenceEqualityComparer.Instance);
        if (whyNotSigned is null && probes.Count > 0)
        {
            var signed = sign(new SignRequest
            {
                TokenLabel = token.Label,
                SerialNumber = token.SerialNumber,
                Pin = pin!,
                Items = [.. probes.Select(p => p.Probe!.Item)],
            });
            for (var i = 0; i < probes.Count; i++)
            {
                results[probes[i]] = Judge(probes[i], signed.Items[i], signed.LoginMessage);
            }
        }

        return [.. cases.Select(c => (c, results.TryGetValue(c, out var judged) ? judged
            : new SelfTestOutcome(c.Version, c.Scheme, c.Route, SelfTestResult.NotAttempted, null, c.NotAttempted ?? whyNotSigned ?? "not signed")))];
    }

    /// <summary>Turns the token's answer into an outcome: a refusal with its CKR, or a signature checked with the public key.</summary>
    private static SelfTestOutcome Judge(PlannedCase planned, SignItemResult result, string? loginMessage)
    {
        var probe = planned.Probe!;
        var route = planned.Route!;
        var fallback = probe.NamedRoute ? "" : " (a route clients fall back to)";
        SelfTestOutcome Outcome(SelfTestResult r, string? returnValue, string detail) =>
            new(planned.Version, planned.Scheme, route, r, returnValue, detail + fallback);

        switch (result.Status)
        {
            case SignStatus.Refused:
                return Outcome(SelfTestResult.Failed, result.ReturnValue, $"the token refused: {result.Function} returned {result.ReturnValue}");
            case SignStatus.NotAttempted:
                return Outcome(SelfTestResult.NotAttempted, null, result.Detail ?? loginMessage ?? "the token was not asked");
        }

        var signature = result.Signature.AsSpan();
        var onTheWire = signature.ToArray();
        var conversion = "";
        if (route.Mechanism == Mechanisms.Ecdsa)
        {
            // TLS sends DER (RFC 8422 §5.4); converting here is what every client does with a token's r‖s.
            if (signature.Length % 2 != 0 || signature.IsEmpty)
            {
                return Outcome(SelfTestResult.Failed, null, $"{ObservedSigningFailure.DoesNotVerify}: the token returned {signature.Length} bytes, not r‖s");
            }

            onTheWire = EcdsaSignatures.RawToDer(signature);
            conversion = $", r‖s ({signature.Length} bytes) sent as a DER ECDSA-Sig-Value ({onTheWire.Length} bytes)";
        }

        return SignatureVerifier.Verify(probe.Verifier, planned.Scheme, probe.Content.AsSpan(), probe.Digest.AsSpan(), onTheWire)
            ? Outcome(SelfTestResult.Passed, null, $"signed by the token and verified with {probe.Verifier.Source}{conversion}")
            : Outcome(SelfTestResult.Failed, null, $"{ObservedSigningFailure.DoesNotVerify} with {probe.Verifier.Source}{conversion}");
    }
}
