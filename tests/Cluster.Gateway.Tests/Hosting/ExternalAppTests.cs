using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cluster.TestSupport;

namespace Cluster.Gateway.Tests.Hosting;

/// <summary>
/// An app outside the repository, written only against the contract (app-api.md), built into the gateway with
/// <c>-p:ClusterApp=</c> and served by the real gateway process — and an invalid one that fails that build.
/// </summary>
public sealed class ExternalAppTests : IDisposable
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(8);
    private readonly string _root = Directory.CreateTempSubdirectory("cluster-external-app-").FullName;

    [Fact]
    public async Task Build_ExternalApp_IsServedByTheGateway()
    {
        var app = WriteApp("MyApp", new()
        {
            ["app/route.cs"] = """
                using Cluster.Routing;
                public static class Home { public static RouteResponse GET() => RouteResponse.Text("home"); }
                """,
            ["app/api/users/[id]/route.cs"] = """
                using Cluster.Routing;
                namespace MyApp.Users;
                public static class UserRoute
                {
                    public static RouteResponse GET(RouteRequest request, RouteContext context) =>
                        RouteResponse.Json(new { id = context.Params["id"], agent = request.Headers["user-agent"] });

                    public static async Task<RouteResponse> POST(RouteRequest request, RouteContext context)
                    {
                        var body = await request.ReadTextAsync();
                        return RouteResponse.Text(body, 201).WithHeader("x-echo", "1");
                    }
                }
                """,
            ["app/api/docs/[...slug]/route.cs"] = """
                using Cluster.Routing;
                public static class Docs { public static RouteResponse GET(RouteRequest r, RouteContext c) => RouteResponse.Json(c.Params); }
                """,
            ["app/_lib/helpers.cs"] = "public static class Helpers { }",
        });
        var artifacts = Path.Combine(_root, "artifacts");

        var (exitCode, output) = await ProcessRunner.RunAsync("dotnet",
            ["build", Path.Combine(RepositoryPaths.Root, "src/Gateway/Gateway.csproj"), $"-p:ClusterApp={app}", "--artifacts-path", artifacts, "-nologo"],
            s_buildTimeout);
        Assert.True(exitCode == 0, output);

        var gatewayDll = Directory.GetFiles(Path.Combine(artifacts, "bin"), "Cluster.Gateway.dll", SearchOption.AllDirectories).Single();
        var port = FreePort();
        using var gateway = Process.Start(new ProcessStartInfo("dotnet", [gatewayDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(gatewayDll)!,
        })!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilReadyAsync(client);

            Assert.Equal("home", await client.GetStringAsync("/"));
            using var get = new HttpRequestMessage(HttpMethod.Get, "/api/users/42");
            get.Headers.Add("User-Agent", "external/1");
            using var user = await client.SendAsync(get);
            Assert.Equal("""{"id":"42","agent":"external/1"}""", await user.Content.ReadAsStringAsync());
            using var posted = await client.PostAsync("/api/users/42", new StringContent("hello"));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            Assert.Equal("1", posted.Headers.GetValues("x-echo").Single());
            Assert.Equal("hello", await posted.Content.ReadAsStringAsync());
            Assert.Equal("""{"slug":["a","b","c"]}""", await client.GetStringAsync("/api/docs/a/b/c"));
            using var missing = await client.GetAsync("/_lib/helpers");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Build_ExternalAppWithInvalidTree_FailsWithNextJsWording()
    {
        var app = WriteApp("BadApp", new()
        {
            ["app/blog/[id]/route.cs"] = "using Cluster.Routing; public static class A { public static RouteResponse GET() => RouteResponse.Empty(); }",
            ["app/blog/[cid]/route.cs"] = "using Cluster.Routing; public static class B { public static RouteResponse GET() => RouteResponse.Empty(); }",
        });

        var (exitCode, output) = await ProcessRunner.RunAsync("dotnet",
            ["build", Path.Combine(RepositoryPaths.Root, "src/Gateway/Gateway.csproj"), $"-p:ClusterApp={app}", "--artifacts-path", Path.Combine(_root, "artifacts"), "-nologo"],
            s_buildTimeout);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("different slug names", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is cleaned by the OS eventually.
        }
    }

    private string WriteApp(string name, Dictionary<string, string> files)
    {
        var directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        var contracts = Path.Combine(RepositoryPaths.Root, "src/Contracts/Contracts.csproj");
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{contracts}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (path, text) in files)
        {
            var file = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        return Path.Combine(directory, name + ".csproj");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/_cluster/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("The external app's gateway did not become ready in 60 s.");
            }

            await Task.Delay(200);
        }
    }
}
