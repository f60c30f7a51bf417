namespace Cluster.Grains.Matching;

/// <summary>
/// The position of one segment of a request path, without its slashes. A tokenised path is a stackalloc'ed span of
/// these, so matching slices the original string instead of allocating substrings.
/// </summary>
/// <param name="Start">The index of the segment's first character.</param>
/// <param name="Length">The number of characters.</param>
internal readonly record struct PathSegment(int Start, int Length);
