using System.Linq;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Analysis;

/// <summary>Checks a route's or the middleware's optional <c>Config</c>: one public static property (or field) of the config type.</summary>
internal static class ConfigMember
{
    /// <summary>Whether the class declares a public <c>Config</c> at all, and whether it has the accepted shape.</summary>
    public static (bool Present, bool Valid) Check(INamedTypeSymbol type, ITypeSymbol? configType)
    {
        var members = type.GetMembers("Config").Where(m => m.DeclaredAccessibility == Accessibility.Public).ToList();
        if (members.Count == 0)
        {
            return (false, false);
        }

        var valid = members.Count == 1 && members[0] switch
        {
            IPropertySymbol property => property.IsStatic
                && !property.IsIndexer
                && property.GetMethod is { DeclaredAccessibility: Accessibility.Public }
                && SymbolEqualityComparer.Default.Equals(property.Type, configType),
            IFieldSymbol field => field.IsStatic && SymbolEqualityComparer.Default.Equals(field.Type, configType),
            _ => false,
        };
        return (true, valid);
    }
}
