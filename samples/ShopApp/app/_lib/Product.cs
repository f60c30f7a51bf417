namespace ShopApp.Lib;

/// <summary>A product of the sample catalogue.</summary>
public sealed record Product(int Id, string Name, string Category, decimal Price);
