using Cluster.Routing;

namespace EdgeApp;

/// <summary>
/// Revalidates from inside a handler, as an app's webhook route would: body <c>{"tag":"t"}</c> or <c>{"path":"/x"}</c>.
/// Answers only after the revalidation completed, i.e. after every owner confirmed.
/// </summary>
public static class RevalidationTriggerRoute
{
    public static async Task<RouteResponse> POST(RouteRequest request, RouteContext context)
    {
        var target = await request.ReadJsonAsync<Target>();
        if (target?.Tag is { } tag)
        {
            await context.RevalidateTagAsync(tag);
            return RouteResponse.Json(new { revalidated = "tag", value = tag });
        }

        if (target?.Path is { } path)
        {
            await context.RevalidatePathAsync(path);
            return RouteResponse.Json(new { revalidated = "path", value = path });
        }

        return RouteResponse.Json(new { error = "send a tag or a path" }, 400);
    }

    public sealed record Target(string? Tag, string? Path);
}
