namespace ShopApp.Lib;

/// <summary>
/// The sample's product catalogue. It lives in <c>app/_lib</c>: a private folder, so nothing here is routable.
/// </summary>
public static class Catalog
{
    private static readonly Product[] s_products =
    [
        new(1, "Espresso cup", "kitchen", 9.50m),
        new(2, "Pour-over kettle", "kitchen", 42.00m),
        new(3, "Canvas tote", "bags", 15.00m),
        new(4, "Field notebook", "paper", 7.25m),
        new(5, "Fountain pen", "paper", 58.00m),
    ];

    /// <summary>All products, or those of one category.</summary>
    public static IEnumerable<Product> List(string? category) =>
        category is null ? s_products : s_products.Where(p => string.Equals(p.Category, category, StringComparison.Ordinal));

    /// <summary>The products on the front page.</summary>
    public static IEnumerable<Product> Featured() => s_products.Where(static p => p.Id is 2 or 5);

    /// <summary>One product by id.</summary>
    public static Product? Find(int id) => Array.Find(s_products, p => p.Id == id);
}
