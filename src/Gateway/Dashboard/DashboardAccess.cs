namespace Cluster.Gateway.Dashboard;

/// <summary>What <see cref="DashboardAuthenticator"/> decided about a request.</summary>
internal enum DashboardAccess
{
    /// <summary>Development: the dashboard needs no token.</summary>
    Open,

    /// <summary>The request proved <c>Cluster:AdminToken</c> (a bearer token or the session cookie).</summary>
    Granted,

    /// <summary>Outside Development without <c>Cluster:AdminToken</c>: the dashboard is off (403).</summary>
    Disabled,

    /// <summary>No credential, or a session cookie of another token (the token changed): sign in (401).</summary>
    Missing,

    /// <summary>A bearer token that is not <c>Cluster:AdminToken</c> (401, logged).</summary>
    Rejected,
}
