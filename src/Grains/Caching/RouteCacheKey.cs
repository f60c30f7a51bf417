namespace Cluster.Grains.Caching;

/// <summary>The key of a cached response in the silo's store: the route's pattern and the path (no query), compared ordinally.</summary>
internal readonly struct RouteCacheKey : IEquatable<RouteCacheKey>
{
    public RouteCacheKey(string pattern, string path)
    {
        Pattern = pattern;
        Path = path;
    }

    public string Pattern { get; }

    public string Path { get; }

    public bool Equals(RouteCacheKey other)
        => string.Equals(Path, other.Path, StringComparison.Ordinal) && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is RouteCacheKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(Pattern), StringComparer.Ordinal.GetHashCode(Path));

    public static bool operator ==(RouteCacheKey left, RouteCacheKey right) => left.Equals(right);

    public static bool operator !=(RouteCacheKey left, RouteCacheKey right) => !left.Equals(right);
}
