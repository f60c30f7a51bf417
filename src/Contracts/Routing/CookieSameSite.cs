namespace Cluster.Routing;

/// <summary>The <c>SameSite</c> attribute of a cookie.</summary>
public enum CookieSameSite
{
    /// <summary>No attribute is written (the browser's default applies).</summary>
    Unspecified,
    /// <summary><c>SameSite=Lax</c>.</summary>
    Lax,
    /// <summary><c>SameSite=Strict</c>.</summary>
    Strict,
    /// <summary><c>SameSite=None</c> (browsers also require <c>Secure</c>).</summary>
    None,
}
