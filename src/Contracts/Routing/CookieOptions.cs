using System.Globalization;
using System.Text;

namespace Cluster.Routing;

/// <summary>Attributes of a cookie set by <see cref="RouteResponse.WithCookie"/>.</summary>
public sealed class CookieOptions
{
    /// <summary>The <c>Path</c> attribute. Default <c>/</c> (as Next.js's <c>cookies().set</c>).</summary>
    public string? Path { get; init; } = "/";

    /// <summary>The <c>Domain</c> attribute. Default none.</summary>
    public string? Domain { get; init; }

    /// <summary>The <c>Expires</c> attribute. Default none (a session cookie).</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>The <c>Max-Age</c> attribute, in whole seconds. Default none.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>The <c>Secure</c> attribute. Default <c>false</c>.</summary>
    public bool Secure { get; init; }

    /// <summary>The <c>HttpOnly</c> attribute. Default <c>false</c>.</summary>
    public bool HttpOnly { get; init; }

    /// <summary>The <c>SameSite</c> attribute. Default <see cref="CookieSameSite.Unspecified"/>.</summary>
    public CookieSameSite SameSite { get; init; }

    /// <summary>Formats a <c>Set-Cookie</c> header value. The value is percent-encoded as JavaScript's
    /// <c>encodeURIComponent</c> would, like Next.js's cookie serialiser.</summary>
    /// <exception cref="ArgumentException">The name is empty or not an RFC 6265 token.</exception>
    public static string FormatSetCookie(string name, string value, CookieOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not a valid cookie name.", nameof(name));
            }
        }

        var builder = new StringBuilder(name.Length + value.Length + 32);
        builder.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        if (options is null)
        {
            return builder.Append("; Path=/").ToString();
        }

        if (!string.IsNullOrEmpty(options.Path))
        {
            builder.Append("; Path=").Append(options.Path);
        }

        if (!string.IsNullOrEmpty(options.Domain))
        {
            builder.Append("; Domain=").Append(options.Domain);
        }

        if (options.Expires is { } expires)
        {
            builder.Append("; Expires=").Append(expires.UtcDateTime.ToString("R", CultureInfo.InvariantCulture));
        }

        if (options.MaxAge is { } maxAge)
        {
            builder.Append("; Max-Age=").Append(((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        if (options.Secure)
        {
            builder.Append("; Secure");
        }

        if (options.HttpOnly)
        {
            builder.Append("; HttpOnly");
        }

        if (options.SameSite != CookieSameSite.Unspecified)
        {
            builder.Append("; SameSite=").Append(options.SameSite switch
            {
                CookieSameSite.Lax => "Lax",
                CookieSameSite.Strict => "Strict",
                _ => "None",
            });
        }

        return builder.ToString();
    }
}
