namespace Cluster.Routing;

/// <summary>Rejects header names and values that cannot be sent (or would split a header).</summary>
internal static class HeaderValidation
{
    public static void Validate(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.AsSpan().IndexOfAny("\r\n\0: ") >= 0 || value.AsSpan().IndexOfAny("\r\n\0") >= 0)
        {
            throw new ArgumentException($"The header '{name}' has a name or value that cannot be sent.", nameof(name));
        }
    }
}
