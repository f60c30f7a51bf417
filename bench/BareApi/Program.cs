using System.Text.Json;
using ShopApp.Lib;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

// The same work as the route handler: look the product up and serialise it with System.Text.Json's web defaults.
app.MapGet("/api/products/{id:int}", (int id) =>
    Catalog.Find(id) is { } product ? Results.Json(product, JsonSerializerOptions.Web) : Results.NotFound());

// The sample's cached route: the same bytes a cache HIT of the gateway sends.
app.MapGet("/api/featured", () => Results.Json(Catalog.Featured(), JsonSerializerOptions.Web));

app.Run();
