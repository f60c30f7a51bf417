namespace Cluster.Generators.Model;

/// <summary>
/// Where a member of the route class is declared in the route file. The class usually comes from a referenced
/// assembly, whose symbols have no source locations, so the syntax pass records them for the semantic pass.
/// </summary>
/// <param name="Name">The member name (<c>.ctor</c> for constructors).</param>
/// <param name="Location">The member's name token.</param>
internal sealed record MemberLocation(string Name, LocationInfo Location);
