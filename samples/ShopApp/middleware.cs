using Cluster.Routing;

namespace ShopApp;

/// <summary>
/// The sample's middleware, run by the gateway before routing: a moved section redirected, a header on every API
/// response, an auth gate on the admin area, and an A/B rewrite chosen by cookie.
/// </summary>
public static class Middleware
{
    private const string VariantCookie = "deals-variant";

    public static MiddlewareConfig Config { get; } = new() { Matcher = ["/api/:path*", "/old-shop/:path*"] };

    public static MiddlewareResult Run(RouteRequest request, MiddlewareContext context)
    {
        // The shop moved from /old-shop to /shop: tell clients (and search engines) once and for all.
        if (request.Path.StartsWith("/old-shop", StringComparison.Ordinal))
        {
            return MiddlewareResult.Redirect("/shop" + request.Path["/old-shop".Length..] + request.QueryString, 308);
        }

        if (request.Path.StartsWith("/api/admin", StringComparison.Ordinal) && !IsAdmin(request))
        {
            return MiddlewareResult.Respond(RouteResponse.Json(new { error = "unauthorized" }, 401).WithHeader("www-authenticate", "Bearer"));
        }

        if (request.Path == "/api/deals")
        {
            // A/B test: a returning visitor keeps their variant; a new one is assigned one and told via a cookie.
            if (request.Cookies.TryGetValue(VariantCookie, out var variant) && variant is "a" or "b")
            {
                return MiddlewareResult.Rewrite("/api/deals/" + variant).WithResponseHeader("x-api-version", "1");
            }

            variant = Random.Shared.Next(2) == 0 ? "a" : "b";
            return MiddlewareResult.Rewrite("/api/deals/" + variant)
                .WithCookie(VariantCookie, variant, new CookieOptions { MaxAge = TimeSpan.FromDays(30), SameSite = CookieSameSite.Lax })
                .WithResponseHeader("x-api-version", "1");
        }

        return MiddlewareResult.Next().WithResponseHeader("x-api-version", "1");
    }

    private static bool IsAdmin(RouteRequest request)
    {
        var token = Environment.GetEnvironmentVariable("SHOP_ADMIN_TOKEN") ?? "demo-admin-token";
        return request.Headers.TryGetValue("authorization", out var authorization)
            && string.Equals(authorization, "Bearer " + token, StringComparison.Ordinal);
    }
}
