using System.Text;
using Cluster.LocalFront;

// The local stand-in's front: a round-robin over the ready gateways on one port (deploy/local/README in ../README.md).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<FrontOptions>().BindConfiguration(FrontOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<BackendPool>();
builder.Services.AddHostedService(static sp => sp.GetRequiredService<BackendPool>());
builder.Services.AddSingleton<FrontProxy>();

var app = builder.Build();

// The front's own view of its gateways (everything else is forwarded, /_cluster/* included).
app.MapGet("/_front/backends", static (BackendPool pool) =>
{
    var text = new StringBuilder();
    foreach (var backend in pool.All)
    {
        text.Append(backend.Address).Append(' ').Append(backend.Ready ? "ready" : "not-ready").Append('\n');
    }

    return Results.Text(text.ToString());
});
// Every other path and method goes to a gateway (a literal route outranks this catch-all).
var proxy = app.Services.GetRequiredService<FrontProxy>();
app.Map("/{**path}", proxy.InvokeAsync);
app.Run();
