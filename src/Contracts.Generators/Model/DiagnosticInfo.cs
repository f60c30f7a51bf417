using System.Linq;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Model;

/// <summary>
/// A diagnostic kept as values (descriptor, location, message arguments) so it can travel through cached steps;
/// <see cref="Diagnostic"/> itself is not value-equatable.
/// </summary>
/// <param name="Descriptor">What went wrong.</param>
/// <param name="Location">Where, or null for no location.</param>
/// <param name="Arguments">The message format arguments.</param>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    /// <summary>Creates a diagnostic description.</summary>
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor, location, new EquatableArray<string>(arguments));

    /// <summary>Whether the diagnostic fails the build.</summary>
    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    /// <summary>Creates the Roslyn diagnostic.</summary>
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), Arguments.Cast<object>().ToArray());
}
