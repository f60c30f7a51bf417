using System.Globalization;
using Cluster.Routing;
using ShopApp.Lib;

namespace ShopApp.Api;

/// <summary>DELETE /api/cart/items/[id] — removes one product from the visitor's cart.</summary>
public static class CartItemRoute
{
    public static RouteResponse DELETE(RouteRequest request, RouteContext context)
    {
        if (!request.Cookies.TryGetValue("cart", out var cartId)
            || !int.TryParse(context.Params["id"], NumberStyles.None, CultureInfo.InvariantCulture, out var productId))
        {
            return RouteResponse.NotFound();
        }

        return CartStore.Remove(cartId, productId) ? RouteResponse.Empty() : RouteResponse.NotFound();
    }
}
