using System.Text.Json;
using Cluster.Routing;
using ShopApp.Lib;

namespace ShopApp.Api;

/// <summary>
/// /api/cart — the visitor's cart, identified by the <c>cart</c> cookie. A non-static route class: the silo's
/// container builds it and hands it the services its constructor asks for.
/// </summary>
public sealed class CartRoute(TimeProvider time)
{
    private const string CartCookie = "cart";

    /// <summary>GET: the cart's lines and total.</summary>
    public RouteResponse GET(RouteRequest request)
    {
        var (cartId, isNew) = CartIdOf(request);
        return WithCart(RouteResponse.Json(Summarise(cartId)), cartId, isNew);
    }

    /// <summary>POST {"productId":1,"quantity":2}: adds to the cart.</summary>
    public async Task<RouteResponse> POST(RouteRequest request)
    {
        var line = await ReadLineAsync(request);
        if (line is null)
        {
            return Invalid();
        }

        var (cartId, isNew) = CartIdOf(request);
        CartStore.Add(cartId, line.ProductId, line.Quantity);
        return WithCart(RouteResponse.Json(Summarise(cartId), 201), cartId, isNew);
    }

    /// <summary>PUT {"productId":1,"quantity":5}: sets a line's quantity (0 removes it).</summary>
    public async Task<RouteResponse> PUT(RouteRequest request)
    {
        var line = await ReadLineAsync(request, allowZero: true);
        if (line is null)
        {
            return Invalid();
        }

        var (cartId, isNew) = CartIdOf(request);
        CartStore.Set(cartId, line.ProductId, line.Quantity);
        return WithCart(RouteResponse.Json(Summarise(cartId)), cartId, isNew);
    }

    /// <summary>DELETE: empties the cart.</summary>
    public RouteResponse DELETE(RouteRequest request)
    {
        if (request.Cookies.TryGetValue(CartCookie, out var cartId))
        {
            CartStore.Clear(cartId);
        }

        return RouteResponse.Empty();
    }

    private static async Task<CartLine?> ReadLineAsync(RouteRequest request, bool allowZero = false)
    {
        try
        {
            var line = await request.ReadJsonAsync<CartLine>();
            var quantityOk = allowZero ? line?.Quantity >= 0 : line?.Quantity > 0;
            return line is not null && quantityOk && Catalog.Find(line.ProductId) is not null ? line : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static RouteResponse Invalid() =>
        RouteResponse.Json(new { error = "send {\"productId\": <a product id>, \"quantity\": <a positive number>}" }, 400);

    private static object Summarise(string cartId)
    {
        var lines = CartStore.Get(cartId)
            .Select(pair => (Product: Catalog.Find(pair.Key)!, Quantity: pair.Value))
            .OrderBy(line => line.Product.Id)
            .Select(line => new { productId = line.Product.Id, name = line.Product.Name, line.Quantity, subtotal = line.Product.Price * line.Quantity })
            .ToArray();
        return new { lines, total = lines.Sum(line => line.subtotal) };
    }

    private static (string CartId, bool IsNew) CartIdOf(RouteRequest request) =>
        request.Cookies.TryGetValue(CartCookie, out var id) && Guid.TryParse(id, out _)
            ? (id, false)
            : (Guid.NewGuid().ToString("N"), true);

    private RouteResponse WithCart(RouteResponse response, string cartId, bool isNew) =>
        isNew
            ? response.WithCookie(CartCookie, cartId, new CookieOptions { HttpOnly = true, SameSite = CookieSameSite.Lax, Expires = time.GetUtcNow().AddDays(30) })
            : response;
}
