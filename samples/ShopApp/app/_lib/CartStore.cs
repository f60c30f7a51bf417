using System.Collections.Concurrent;

namespace ShopApp.Lib;

/// <summary>
/// Carts keyed by the <c>cart</c> cookie. The cart route's grain is the only activation of that route in the cluster,
/// so in this sample the store lives with it (a real app would keep carts in a database).
/// </summary>
public static class CartStore
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<int, int>> s_carts = new(StringComparer.Ordinal);

    /// <summary>The lines of a cart: product id → quantity.</summary>
    public static IReadOnlyDictionary<int, int> Get(string cartId) =>
        s_carts.TryGetValue(cartId, out var cart) ? cart : new Dictionary<int, int>();

    /// <summary>Adds to the quantity of a product in a cart.</summary>
    public static void Add(string cartId, int productId, int quantity) =>
        s_carts.GetOrAdd(cartId, _ => new()).AddOrUpdate(productId, quantity, (_, current) => current + quantity);

    /// <summary>Sets the quantity of a product; zero removes the line.</summary>
    public static void Set(string cartId, int productId, int quantity)
    {
        var cart = s_carts.GetOrAdd(cartId, _ => new());
        if (quantity <= 0)
        {
            cart.TryRemove(productId, out _);
            return;
        }

        cart[productId] = quantity;
    }

    /// <summary>Removes one line from a cart; false when it was not there.</summary>
    public static bool Remove(string cartId, int productId) =>
        s_carts.TryGetValue(cartId, out var cart) && cart.TryRemove(productId, out _);

    /// <summary>Empties a cart.</summary>
    public static void Clear(string cartId) => s_carts.TryRemove(cartId, out _);
}
