using System.Reflection;
using TokenService.Worker;
using Xunit;

namespace TokenService.Tests.Unit.Worker;

/// <summary>
/// The card watcher does not know who observes it: Telemetry depends on Worker (it implements
/// <see cref="IWatcherObserver"/> and reads the store's counts), never the other way round.
/// </summary>
public sealed class WorkerDependencyTests
{
    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void WorkerTypes_IncludingTheirStateMachinesAndClosures_ReferenceNoTelemetryType()
    {
        var worker = typeof(CardWorker).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(CardWorker).Namespace)
            .ToList();

        var references = worker
            .SelectMany(t => UsedTypes(t).Where(IsTelemetry).Select(used => $"{t.FullName} uses {used.FullName}"))
            .Distinct()
            .ToList();

        Assert.Contains(typeof(CardWorker), worker);
        Assert.Contains(worker, t => t.Name.Contains("RunProbeAsync", StringComparison.Ordinal)); // state machines are checked too
        Assert.Empty(references);
    }

    private static bool IsTelemetry(Type type) =>
        type.Namespace?.StartsWith("TokenService.Telemetry", StringComparison.Ordinal) == true
        || type.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true
        || type.FullName is "System.Diagnostics.ActivitySource" or "System.Diagnostics.Metrics.Meter";

    /// <summary>Every type in the signatures and fields of <paramref name="type"/>, generic arguments unfolded.</summary>
    private static IEnumerable<Type> UsedTypes(Type type)
    {
        IEnumerable<Type> direct =
        [
            .. type.BaseType is { } b ? [b] : Array.Empty<Type>(),
            .. type.GetInterfaces(),
            .. type.GetFields(Everything).Select(f => f.FieldType),
            .. type.GetProperties(Everything).Select(p => p.PropertyType),
            .. type.GetMethods(Everything).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)),
            .. type.GetConstructors(Everything).SelectMany(c => c.GetParameters().Select(p => p.ParameterType)),
            .. type.GetMethods(Everything).SelectMany(m => m.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []),
        ];
        return direct.SelectMany(Unfold);
    }

    private static IEnumerable<Type> Unfold(Type type)
    {
        yield return type;
        var inner = type.HasElementType ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        foreach (var argument in inner.SelectMany(Unfold))
        {
            yield return argument;
        }
    }
}
