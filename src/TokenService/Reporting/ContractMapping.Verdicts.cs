using TokenService.Contracts;
using TokenService.Drivers.Snapshots;
using TokenService.SelfTest;
using TokenService.Verdicts;

namespace TokenService.Reporting;

internal static partial class ContractMapping
{
    public static TokenReport Report(ModuleVerdict judged, ServerModel server, DateTimeOffset generatedAt, SelfTestReport? selfTest = null)
    {
        var module = judged.Module;
        return new TokenReport
        {
            GeneratedAt = generatedAt,
            Module = new ModuleEntry
            {
                Path = module.ModulePath,
                Description = module.LibraryDescription,
                Manufacturer = module.ManufacturerId,
                CryptokiVersion = module.CryptokiVersion,
                LibraryVersion = module.LibraryVersion,
            },
            Server = Server(server),
            Tokens = [.. judged.Tokens.Select(t => Token(t, selfTest))],
            Verdict = ContractNames.Of(judged.Verdict),
            TargetClients = [.. judged.Targets.Stacks.Select(s => s.Name)],
            UninitializedTokens = [.. judged.Uninitialized.Select(Uninitialized)],
        };
    }

    private static UninitializedTokenEntry Uninitialized(TokenSnapshot token) => new()
    {
        SlotId = token.SlotId,
        SlotDescription = token.SlotDescription,
        Label = token.Label,
        Manufacturer = token.Manufacturer,
        Model = token.Model,
        SerialNumber = token.SerialNumber,
    };

    public static TokenEntry Token(TokenVerdict judged, SelfTestReport? selfTest = null)
    {
        var token = judged.Token;
        return new TokenEntry
        {
            SlotId = token.SlotId,
            SlotDescription = token.SlotDescription,
            Label = token.Label,
            SerialNumber = token.SerialNumber,
            Manufacturer = token.Manufacturer,
            Model = token.Model,
            Flags = TokenFlagNames.Of(token.Flags),
            PinStatus = TokenFlagNames.PinStatus(token.Flags),
            Login = Login(token.Login),
            PrivateObjectsHidden = judged.PrivateObjectsHidden,
            Mechanisms = Mechanisms(token),
            Keys = [.. judged.Keys.Select(k => Key(k) with { SelfTest = selfTest is null ? null : [.. selfTest.For(token, k.Key).Select(SelfTest)] })],
            Problems = [.. judged.Problems.Select(Problem)],
            Verdict = ContractNames.Of(judged.Verdict),
            ClientSupport = new ClientSupportEntry
            {
                Tls13 = [.. judged.Support.Tls13.Select(s => s.Name)],
                Tls12Only = [.. judged.Support.Tls12Only.Select(s => s.Name)],
                Neither = [.. judged.Support.Neither.Select(s => s.Name)],
            },
            Confirmed = judged.Confirmed,
            Remediation = [.. judged.Remedies.Select(Remedy)],
        };
    }

    public static KeyEntry Key(KeyVerdict judged)
    {
        var facts = judged.Facts;
        var key = judged.Key;
        return new KeyEntry
        {
            Label = key.Label,
            Id = Convert.ToHexStringLower(key.Id.AsSpan()),
            KeyType = KeyType(facts.Kind),
            Bits = facts.Bits,
            Curve = facts.Curve,
            Sign = key.Sign,
            AlwaysAuthenticate = key.AlwaysAuthenticate,
            Private = key.Private,
            AllowedMechanisms = facts.HasAllowedMechanisms ? [.. key.AllowedMechanisms.Select(Drivers.Snapshots.Mechanisms.NameOf)] : null,
            Certificate = Certificate(facts),
            Tls13 = Capability(judged.Evaluation.Tls13),
            Tls12 = Capability(judged.Evaluation.Tls12),
            Clients = [.. judged.Evaluation.Clients.Select(Client)],
            Problems = [.. judged.Problems.Select(Problem)],
            Verdict = ContractNames.Of(judged.Verdict),
            Confirmed = judged.Confirmed,
            Hidden = [.. facts.Hidden.Select(ContractNames.Of)],
            Remediation = [.. judged.Remedies.Select(Remedy)],
        };
    }

    private static string KeyType(KeyKind kind) => kind switch
    {
        KeyKind.Rsa => "RSA",
        KeyKind.Ec => "EC",
        KeyKind.EcEdwards => "EC_EDWARDS",
        KeyKind.Other => "OTHER",
    };
}
