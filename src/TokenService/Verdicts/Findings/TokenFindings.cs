using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts.Findings;

/// <summary>Problems of the token itself: PIN state, login, hidden objects, module quirks.</summary>
internal static class TokenFindings
{
    public static bool PrivateObjectsHidden(TokenSnapshot token) => Visibility.PrivateObjectsHidden(token);

    public static IEnumerable<Problem> Find(TokenSnapshot token, bool holdsEdDsa)
    {
        var flags = token.Flags;
        if ((flags & TokenFlags.UserPinLocked) != 0)
        {
            yield return new(ProblemCodes.PinLocked, Severity.Error, "The user PIN is locked (CKF_USER_PIN_LOCKED): no login is possible and none was tried.");
        }
        else if ((flags & TokenFlags.UserPinFinalTry) != 0)
        {
            yield return new(ProblemCodes.PinFinalTry, Severity.Warning, "One PIN try left (CKF_USER_PIN_FINAL_TRY): TokenService will not log in, to avoid locking the card.");
        }
        else if ((flags & TokenFlags.UserPinCountLow) != 0)
        {
            yield return new(ProblemCodes.PinCountLow, Severity.Warning, "A wrong PIN was entered since the last successful login (CKF_USER_PIN_COUNT_LOW).");
        }

        if ((flags & TokenFlags.UserPinToBeChanged) != 0)
        {
            yield return new(ProblemCodes.PinToBeChanged, Severity.Warning, "The user PIN must be changed before use (CKF_USER_PIN_TO_BE_CHANGED).");
        }

        switch (token.Login)
        {
            case LoginOutcome.Failed:
                yield return new(ProblemCodes.LoginFailed, Severity.Warning, $"Login failed and was not retried: {token.LoginMessage}");
                break;
            case LoginOutcome.RefusedByPolicy:
                yield return new(ProblemCodes.LoginRefused, Severity.Warning, $"Login not attempted: {token.LoginMessage}");
                break;
        }

        if (PrivateObjectsHidden(token))
        {
            // A warning, never the verdict: the keys are judged from their certificates and public keys (unconfirmed).
            yield return new(ProblemCodes.PrivateObjectsHidden, Severity.Warning,
                "Not logged in: private objects (usually the private keys) are hidden; keys seen only through a certificate or public key are judged from it, unconfirmed.");
        }
        else if (token.PrivateKeys.IsEmpty)
        {
            yield return new(ProblemCodes.NoPrivateKeys, Severity.Error, "The token holds no private key.");
        }

        if (holdsEdDsa)
        {
            yield return new(ProblemCodes.EdDsaKeyBreaksLibp11, Severity.Warning, "The token holds an EdDSA key: the OpenSSL libp11 engine (0.4.12) cannot enumerate it and then fails for every key on the token.");
        }
    }
}
