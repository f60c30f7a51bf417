namespace Cluster.DeployTests.Kustomize;

/// <summary>Splits a container image reference into its name, tag and digest (<c>registry:5000/team/app:1.0@sha256:…</c>).</summary>
internal static class ImageReference
{
    public static (string Name, string? Tag, string? Digest) Parse(string reference)
    {
        string? digest = null;
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = reference[(at + 1)..];
            reference = reference[..at];
        }

        // A colon after the last slash is the tag's; one before it is a registry's port.
        var colon = reference.LastIndexOf(':');
        if (colon > reference.LastIndexOf('/'))
        {
            return (reference[..colon], reference[(colon + 1)..], digest);
        }

        return (reference, null, digest);
    }
}
