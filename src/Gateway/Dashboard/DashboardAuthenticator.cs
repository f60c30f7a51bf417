using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Cluster.Gateway.Hosting;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// Who may see the dashboard: anyone in Development; elsewhere whoever proves <c>Cluster:AdminToken</c>, as a bearer
/// token or with the session cookie <c>POST /_cluster/dashboard/login</c> sets. Tokens are compared the way
/// <see cref="RevalidationEndpoint"/> compares them (hashed, then in fixed time).
/// </summary>
/// <remarks>
/// The cookie never holds the token: its value is an HMAC-SHA256 of a fixed label keyed by the token, so it proves
/// the token was known without revealing it, and every cookie stops working when the token changes.
/// </remarks>
internal sealed class DashboardAuthenticator
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "cluster-dashboard";

    private static readonly byte[] s_sessionLabel = "cluster-dashboard-session.v1"u8.ToArray();

    private readonly bool _open;
    private readonly IOptions<ClusterOptions> _options;

    public DashboardAuthenticator(IHostEnvironment environment, IOptions<ClusterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _open = environment.IsDevelopment();
        _options = options;
    }

    /// <summary>Whether the dashboard is open without a token (Development).</summary>
    public bool IsOpen => _open;

    /// <summary>Decides on <paramref name="request"/>'s credentials.</summary>
    public DashboardAccess Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_open)
        {
            return DashboardAccess.Open;
        }

        if (_options.Value.AdminToken is not { } token || string.IsNullOrWhiteSpace(token))
        {
            return DashboardAccess.Disabled;
        }

        if (request.Headers.Authorization.Count > 0)
        {
            return RevalidationEndpoint.TryReadBearer(request, out var presented) && RevalidationEndpoint.TokensEqual(presented, token)
                ? DashboardAccess.Granted
                : DashboardAccess.Rejected;
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && cookie is not null && SessionEquals(cookie, token)
            ? DashboardAccess.Granted
            : DashboardAccess.Missing;
    }

    /// <summary>
    /// Checks a token typed into the login form: the session cookie's value when it is <c>Cluster:AdminToken</c>, else
    /// null (also when no token is configured).
    /// </summary>
    public string? Login(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (_options.Value.AdminToken is not { } token || string.IsNullOrWhiteSpace(token) || presented.Length == 0)
        {
            return null;
        }

        return RevalidationEndpoint.TokensEqual(presented, token) ? SessionValue(token) : null;
    }

    /// <summary>The session cookie's value for <paramref name="token"/>: base64url of HMAC-SHA256(key: token, label).</summary>
    internal static string SessionValue(string token)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), s_sessionLabel, mac);
        return Base64Url.EncodeToString(mac);
    }

    private static bool SessionEquals(string presented, string token)
    {
        var expected = Encoding.ASCII.GetBytes(SessionValue(token));
        var actual = Encoding.UTF8.GetBytes(presented);

        // Lengths differ only for a forged cookie; the expected length is public (a MAC's), so leaving early tells nothing.
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
