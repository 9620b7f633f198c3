using System.Reflection;
using TokenService.Verdicts;

namespace TokenService.Tests.Unit.Architecture;

/// <summary>
/// The verdict engine (namespace TokenService.Verdicts and below) stays pure: it decides from snapshots and a given
/// time, so no type of it may touch native PKCS#11, files or streams, the clock or the host. The test reads what the
/// compiled code really references: base types, fields, signatures, and every member and type token in the IL of
/// every method (lambdas and iterators are nested types of the engine's types, so they are read too).
/// </summary>
public sealed class VerdictsPurityTests
{
    private static readonly string[] ForbiddenNamespaces =
    [
        "Net.Pkcs11Interop",
        "TokenService.Drivers.Pkcs11",
        "TokenService.Drivers.Pcsc",
        "TokenService.Drivers.OpenSsl",
        "System.IO",
        "System.Net",
        "Microsoft.Extensions.Hosting",
        "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Logging",
    ];

    /// <summary>The clock: only a time handed in may decide (certificate dates).</summary>
    private static readonly string[] ForbiddenMembers =
    [
        "System.DateTime.get_Now",
        "System.DateTime.get_UtcNow",
        "System.DateTime.get_Today",
        "System.DateTimeOffset.get_Now",
        "System.DateTimeOffset.get_UtcNow",
        "System.TimeProvider.get_System",
        "System.TimeProvider.GetUtcNow",
        "System.TimeProvider.GetLocalNow",
        "System.TimeProvider.GetTimestamp",
        "System.Environment.get_TickCount",
        "System.Environment.get_TickCount64",
        "System.Environment.GetEnvironmentVariable",
    ];

    /// <summary>Not System.Environment as a whole: compiled iterators read its CurrentManagedThreadId.</summary>
    private static readonly string[] ForbiddenTypes = ["System.Diagnostics.Stopwatch", "System.Console"];

    [Fact]
    public void VerdictsNamespace_CompiledCode_ReferencesNoNativeIoClockOrHosting()
    {
        var engineTypes = EngineTypes(typeof(VerdictEngine).Assembly);
        Assert.True(engineTypes.Count > 20, $"expected the engine's types, found {engineTypes.Count}");

        var violations = engineTypes.SelectMany(t => Violations(t)).Distinct().Order().ToList();

        Assert.True(violations.Count == 0, "the verdict engine must stay pure:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Violations_TypeReadingTheClockAndAFile_AreFound()
    {
        // The scanner itself must see what it is meant to forbid, or the test above could never fail.
        var found = Violations(typeof(Impure)).ToList();

        Assert.Contains(found, v => v.Contains("System.DateTime.get_UtcNow", StringComparison.Ordinal));
        Assert.Contains(found, v => v.Contains("System.IO.File", StringComparison.Ordinal));
        Assert.Contains(found, v => v.Contains("System.Diagnostics.Stopwatch", StringComparison.Ordinal));
    }

    private static List<Type> EngineTypes(Assembly assembly) =>
        [.. assembly.GetTypes().Where(t => t.Namespace is { } ns && (ns == "TokenService.Verdicts" || ns.StartsWith("TokenService.Verdicts.", StringComparison.Ordinal)))];

    private static IEnumerable<string> Violations(Type type)
    {
        var where = type.FullName ?? type.Name;
        var referenced = CompiledReferences.Of(type);
        foreach (var (member, t) in referenced)
        {
            if (member is not null)
            {
                var name = $"{member.DeclaringType?.FullName}.{member.Name}";
                if (ForbiddenMembers.Contains(name))
                {
                    yield return $"{where}: calls {name}";
                }

                if (Forbidden(member.DeclaringType) is { } why)
                {
                    yield return $"{where}: uses {name} ({why})";
                }
            }

            if (Forbidden(t) is { } reason)
            {
                yield return $"{where}: references {t!.FullName ?? t.Name} ({reason})";
            }
        }
    }

    private static string? Forbidden(Type? type)
    {
        while (type is not null && (type.HasElementType || type.IsGenericType))
        {
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                if (type.GetGenericArguments().Select(Forbidden).FirstOrDefault(r => r is not null) is { } inner)
                {
                    return inner;
                }

                type = type.GetGenericTypeDefinition();
                break;
            }

            type = type.GetElementType();
        }

        if (type is null || type.IsGenericParameter)
        {
            return null;
        }

        var fullName = type.FullName ?? type.Name;
        if (ForbiddenTypes.Contains(fullName))
        {
            return "forbidden type";
        }

        var ns = type.Namespace ?? "";
        return ForbiddenNamespaces.FirstOrDefault(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal)) is { } hit
            ? $"namespace {hit}"
            : type.Assembly.GetName().Name == "Pkcs11Interop" ? "assembly Pkcs11Interop" : null;
    }

    /// <summary>What the engine must never do, compiled, for the scanner's own test.</summary>
    private static class Impure
    {
#pragma warning disable RS0030 // banned everywhere; compiled here only so that the scanner can be shown to see it
        public static string Read() => DateTime.UtcNow + File.ReadAllText("/dev/null") + System.Diagnostics.Stopwatch.GetTimestamp();
#pragma warning restore RS0030
    }
}
