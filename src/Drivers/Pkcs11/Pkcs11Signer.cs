using System.Collections.Immutable;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenService.Drivers.Snapshots;

namespace TokenService.Drivers.Pkcs11;

/// <summary>
/// Signs with a token's private keys, for the self-test that checks what the inventory's mechanism list
/// claims. Native handles stay here: callers name keys by CKA_ID and get bytes or a CKR_ name back.
/// </summary>
/// <remarks>
/// The PIN rules of the inventory hold here too: one C_Login(CKU_USER) in a read-only session, never
/// retried, and none at all when <see cref="LoginPolicy"/> refuses it (final try, locked). A key with
/// CKA_ALWAYS_AUTHENTICATE gets one C_Login(CKU_CONTEXT_SPECIFIC) with the same PIN after each C_SignInit
/// (PKCS#11 v2.40 §4.9, §5.6); if that login fails, the key is not used again: a second wrong try could lock
/// the card. Each signature runs in its own session, which shares the user login (v2.40 §5.6) and takes an
/// operation left active by a refused context login with it when closed.
/// </remarks>
internal static class Pkcs11Signer
{
    /// <summary>
    /// Loads <paramref name="modulePath"/> once per process (see <see cref="Pkcs11Modules"/>), finds the token,
    /// logs in once and makes every signature of the request, in order. Runs one at a time with inventories
    /// of the same module: the login state is shared by the whole application.
    /// </summary>
    /// <exception cref="Pkcs11ModuleException">The module is missing, fails to load or to initialize, or a call outside signing failed.</exception>
    public static SignResult SignAll(string modulePath, SignRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(modulePath);
        ArgumentNullException.ThrowIfNull(request);

        return Pkcs11Modules.Exclusive(modulePath, module => SignOnToken(module, request));
    }

    private static SignResult SignOnToken(LoadedModule module, SignRequest request)
    {
        if (FindToken(module.Library, request) is not ({ } slot, { } tokenInfo))
        {
            return NothingSigned(request, LoginOutcome.NotAttempted, $"no token labelled '{request.TokenLabel.TrimEnd()}' is present");
        }

        if (LoginPolicy.RefusalReason(tokenInfo.TokenFlags.Flags) is { } refusal)
        {
            return NothingSigned(request, LoginOutcome.RefusedByPolicy, refusal);
        }

        var session = slot.OpenSession(SessionType.ReadOnly);
        try
        {
            var login = TokenSessions.LogIn(session, request.Pin);
            if (login.Outcome != LoginOutcome.LoggedIn)
            {
                return NothingSigned(request, login.Outcome, login.Message);
            }

            try
            {
                var batch = new Batch(slot, session, request.Pin);
                return new SignResult
                {
                    Login = login.Outcome,
                    LoginMessage = login.Message,
                    Items = [.. request.Items.Select(batch.Sign)],
                    ContextSpecificLogins = batch.ContextSpecificLogins,
                };
            }
            finally
            {
                if (login.MadeByUs)
                {
                    TokenSessions.LogOut(session);
                }
            }
        }
        finally
        {
            TokenSessions.Close(session);
        }
    }

    private static (ISlot? Slot, ITokenInfo? Info) FindToken(IPkcs11Library library, SignRequest request)
    {
        var label = request.TokenLabel.TrimEnd();
        foreach (var slot in library.GetSlotList(SlotsType.WithTokenPresent))
        {
            if (TokenSessions.TryGetTokenInfo(slot) is { } info
                && string.Equals(info.Label, label, StringComparison.Ordinal)
                && (request.SerialNumber is null || string.Equals(info.SerialNumber, request.SerialNumber.TrimEnd(), StringComparison.Ordinal)))
            {
                return (slot, info);
            }
        }

        return (null, null);
    }

    private static SignResult NothingSigned(SignRequest request, LoginOutcome login, string? why) => new()
    {
        Login = login,
        LoginMessage = why,
        Items = [.. request.Items.Select(_ => SignItemResult.NotAttempted(why ?? "not logged in"))],
    };

    /// <summary>The signatures of one request, made while the user login lasts.</summary>
    private sealed class Batch(ISlot slot, ISession loginSession, byte[] pin)
    {
        private readonly Dictionary<string, SigningKey> _keys = new(StringComparer.Ordinal);
        private string? _stopped;

        public int ContextSpecificLogins { get; private set; }

        public SignItemResult Sign(SignItem item)
        {
            if (_stopped is not null)
            {
                return SignItemResult.NotAttempted(_stopped);
            }

            try
            {
                var key = Key(item.KeyId);
                return key.Unusable is { } why ? SignItemResult.NotAttempted(why) : SignWith(key, item);
            }
            catch (Pkcs11Exception e) when (Pkcs11Errors.IsFatal(e.RV))
            {
                // The token, the slot or the library went away: nothing more can be signed, and this is no
                // answer about the mechanism (docs/tls-client-auth.md §4, card removed).
                _stopped = $"signing stopped: {e.Method} returned {Pkcs11Errors.NameOf(e.RV)}";
                return SignItemResult.NotAttempted(_stopped);
            }
        }

        private SignItemResult SignWith(SigningKey key, SignItem item)
        {
            var session = slot.OpenSession(SessionType.ReadOnly);
            try
            {
                using var mechanism = CreateMechanism(session.Factories, item);
                var data = item.Data.ToArray();
                var signature = key.AlwaysAuthenticate
                    ? session.Sign(mechanism, key.Handle, pin, data)
                    : session.Sign(mechanism, key.Handle, data);
                if (key.AlwaysAuthenticate)
                {
                    ContextSpecificLogins++;
                }

                return SignItemResult.Signed(signature);
            }
            catch (Pkcs11Exception e) when (!Pkcs11Errors.IsFatal(e.RV))
            {
                // Pkcs11Interop names the call that failed: C_SignInit, then (always-authenticate keys)
                // C_Login(CKU_CONTEXT_SPECIFIC), then C_Sign.
                if (key.AlwaysAuthenticate && e.Method != "C_SignInit")
                {
                    ContextSpecificLogins++;
                }

                var returnValue = Pkcs11Errors.NameOf(e.RV);
                if (key.AlwaysAuthenticate && e.Method == "C_Login")
                {
                    key.Unusable = $"the context-specific login for this key failed ({returnValue}) and is not retried";
                }

                return SignItemResult.Refused(e.Method, returnValue);
            }
            finally
            {
                TokenSessions.Close(session);
            }
        }

        private SigningKey Key(ImmutableArray<byte> id)
        {
            var hex = Convert.ToHexStringLower(id.AsSpan());
            if (!_keys.TryGetValue(hex, out var key))
            {
                key = Find(id, hex);
                _keys.Add(hex, key);
            }

            return key;
        }

        /// <summary>The one private key with this CKA_ID, and its CKA_ALWAYS_AUTHENTICATE.</summary>
        private SigningKey Find(ImmutableArray<byte> id, string hex)
        {
            var factory = loginSession.Factories.ObjectAttributeFactory;
            List<IObjectAttribute> template =
            [
                factory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                factory.Create(CKA.CKA_ID, id.ToArray()),
            ];
            List<IObjectHandle> found;
            try
            {
                found = loginSession.FindAllObjects(template);
            }
            finally
            {
                template.ForEach(static attribute => attribute.Dispose());
            }

            return found.Count switch
            {
                0 => new SigningKey(null, false) { Unusable = $"no private key with CKA_ID {hex}" },
                > 1 => new SigningKey(null, false) { Unusable = $"{found.Count} private keys share CKA_ID {hex}: which one would sign is not known" },
                _ => new SigningKey(found[0], ObjectAttributes.Read(loginSession, found[0], [CKA.CKA_ALWAYS_AUTHENTICATE]).Bool(CKA.CKA_ALWAYS_AUTHENTICATE)),
            };
        }

        private static IMechanism CreateMechanism(Pkcs11InteropFactories factories, SignItem item) => item.Pss is { } pss
            ? factories.MechanismFactory.Create(
                item.Mechanism,
                factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams(pss.HashAlgorithm, pss.Mgf, pss.SaltLength))
            : factories.MechanismFactory.Create(item.Mechanism);
    }

    private sealed class SigningKey(IObjectHandle? handle, bool alwaysAuthenticate)
    {
        public IObjectHandle Handle => handle ?? throw new InvalidOperationException("The key was not found.");

        public bool AlwaysAuthenticate { get; } = alwaysAuthenticate;

        /// <summary>Why this key signs nothing (more), or null.</summary>
        public string? Unusable { get; set; }
    }
}
