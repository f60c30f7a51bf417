using System.Collections;
using System.Reflection;
using Cluster.Gateway.Hosting;
using Cluster.Grains.Routing;
using Cluster.Runtime.Hosting;

namespace Cluster.DeployTests.Manifests;

/// <summary>
/// Every setting the processes bind, found by reflection: each options class with a <c>SectionName</c> constant in the
/// runtime, grains and gateway assemblies, and its public settable properties (nested objects, lists by index and
/// dictionaries by key, as the configuration binder reads them).
/// </summary>
internal static class SettingsCatalog
{
    /// <summary>Variables the .NET host reads itself (not <c>Section__Key</c> settings of ours).</summary>
    public static readonly IReadOnlySet<string> FrameworkVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
        "DOTNET_gcServer", "DOTNET_GCHeapHardLimitPercent",
    };

    public static IReadOnlyList<(string Section, Type Options)> Sections { get; } =
        new[] { typeof(ClusterOptions).Assembly, typeof(RouteGrainExtensions).Assembly, typeof(GatewayOptions).Assembly }
            .SelectMany(static a => a.GetTypes())
            .Select(static t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(static x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .Select(static x => ((string)x.Field!.GetRawConstantValue()!, x.Type))
            .ToList();

    /// <summary>True if the environment variable <paramref name="variable"/> (<c>Section__Key</c>) sets a real setting.</summary>
    public static bool IsKnownVariable(string variable) =>
        FrameworkVariables.Contains(variable)
        || (variable.Contains("__", StringComparison.Ordinal) && IsKnownKey(variable.Replace("__", ":", StringComparison.Ordinal)));

    /// <summary>True if the configuration key <paramref name="key"/> (<c>Section:Key</c>) binds to an options property.</summary>
    public static bool IsKnownKey(string key) =>
        Sections.Any(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)
                          && Resolves(s.Options, key[(s.Section.Length + 1)..].Split(':')));

    private static bool Resolves(Type type, ReadOnlySpan<string> segments)
    {
        if (segments.IsEmpty)
        {
            return true;
        }

        var property = type.GetProperty(segments[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || (property.SetMethod is not { IsPublic: true } && !IsCollection(property.PropertyType)))
        {
            return false;
        }

        return ResolvesValue(property.PropertyType, segments[1..]);
    }

    private static bool ResolvesValue(Type type, ReadOnlySpan<string> segments)
    {
        if (segments.IsEmpty)
        {
            return true;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(Uri))
        {
            return false;
        }

        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(static i => i.IsGenericType && i.GetGenericTypeDefinition() is var d
                                         && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));
        if (dictionary is not null)
        {
            return ResolvesValue(dictionary.GetGenericArguments()[1], segments[1..]);
        }

        if (IsCollection(type))
        {
            var element = type.IsArray
                ? type.GetElementType()!
                : type.GetInterfaces().Append(type).First(static i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)).GetGenericArguments()[0];
            return int.TryParse(segments[0], out var index) && index >= 0 && ResolvesValue(element, segments[1..]);
        }

        return Resolves(type, segments);
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);
}
