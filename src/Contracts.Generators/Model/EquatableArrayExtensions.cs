using System.Collections.Generic;
using System.Linq;

namespace Cluster.Generators.Model;

/// <summary>Builds <see cref="EquatableArray{T}"/> values.</summary>
internal static class EquatableArrayExtensions
{
    /// <summary>Copies <paramref name="items"/> into an <see cref="EquatableArray{T}"/>.</summary>
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
        where T : System.IEquatable<T> => new(items.ToArray());
}
