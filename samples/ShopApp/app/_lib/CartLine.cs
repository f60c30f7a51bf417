namespace ShopApp.Lib;

/// <summary>A request body that puts a product in the cart.</summary>
public sealed record CartLine(int ProductId, int Quantity);
