using System.Collections.Frozen;
using TokenService.Drivers.Snapshots;

namespace TokenService.Verdicts;

/// <summary>Lookups over a token's mechanism list, as the client stacks ask them.</summary>
internal sealed class TokenMechanisms
{
    private readonly FrozenDictionary<ulong, MechanismSnapshot> _listed;
    private readonly FrozenDictionary<ulong, MechanismSnapshot> _answeredUnlisted;

    public TokenMechanisms(TokenSnapshot token)
    {
        _listed = token.Mechanisms.DistinctBy(m => m.Type).ToFrozenDictionary(m => m.Type);
        _answeredUnlisted = token.UnlistedMechanismsAnswered.DistinctBy(m => m.Type).ToFrozenDictionary(m => m.Type);
    }

    /// <summary>In C_GetMechanismList (what NSS's PK11_DoesMechanism and Java's SunPKCS11 look at).</summary>
    public bool IsListed(ulong mechanism) => _listed.ContainsKey(mechanism);

    /// <summary>Listed with CKF_SIGN: the token will accept C_SignInit with it (for a permitted key).</summary>
    public bool CanSign(ulong mechanism) => _listed.TryGetValue(mechanism, out var m) && m.CanSign;

    /// <summary>C_GetMechanismInfo answers, listed or not (what GnuTLS looks at, docs/tls-client-auth.md §3, §7).</summary>
    public bool InfoAnswers(ulong mechanism) => _listed.ContainsKey(mechanism) || _answeredUnlisted.ContainsKey(mechanism);

    public bool AnswersUnlisted(ulong mechanism) => _answeredUnlisted.ContainsKey(mechanism);

    public MechanismSnapshot? Get(ulong mechanism) => _listed.GetValueOrDefault(mechanism);
}
