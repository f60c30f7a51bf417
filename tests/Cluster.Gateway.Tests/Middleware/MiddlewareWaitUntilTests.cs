using System.Net;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Hosting;
using Cluster.Gateway.Middleware;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Gateway.Tests.Middleware;

/// <summary>Background work handed to <c>MiddlewareContext.WaitUntil</c>, through a real gateway that is then stopped.</summary>
public sealed class MiddlewareWaitUntilTests
{
    [Fact]
    public async Task WaitUntil_WorkFinishesAfterResponse_GracefulStopWaitsForIt()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        async Task WorkAsync()
        {
            await release.Task;
            await Task.Yield();
            finished = true;
        }

        var waiting = new EventSignalLoggerProvider(GatewayEventIds.MiddlewareBackgroundWorkWaiting);
        var manifest = new MiddlewareTestApp().CreateManifest((_, context) =>
        {
            context.WaitUntil(WorkAsync());
            return new(MiddlewareResult.Next());
        });
        await using var app = ClusterGateway.CreateApplication(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development"],
            manifest,
            builder => builder.Logging.ClearProviders().AddProvider(waiting));
        await app.StartAsync().WaitAsync(TestTimeouts.Default);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var response = await client.GetAsync("/echo").WaitAsync(TestTimeouts.Default);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(finished);
        Assert.Equal(1, app.Services.GetRequiredService<MiddlewareBackgroundWork>().OutstandingCount);

        var stop = app.StopAsync();
        // The server has stopped and the background work is being waited for; the work cannot finish before release.
        await waiting.Logged.WaitAsync(TestTimeouts.Default);
        Assert.False(stop.IsCompleted);
        release.SetResult();
        await stop.WaitAsync(TestTimeouts.Default);

        Assert.True(finished);
    }

    [Fact]
    public async Task WaitUntil_WorkFails_LoggedAndResponseUnaffected()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task FailLaterAsync()
        {
            await release.Task;
            throw new InvalidOperationException("background failure");
        }

        await using var host = await GatewayHost.StartAsync(new MiddlewareTestApp().CreateManifest((_, context) =>
        {
            context.WaitUntil(FailLaterAsync());
            context.WaitUntil(Task.FromException(new InvalidOperationException("failed at once")));
            return new(MiddlewareResult.Next().WithResponseHeader("x-mw", "1"));
        }));

        using var response = await host.Client.GetAsync("/echo").WaitAsync(TestTimeouts.Default);
        release.SetResult();
        await host.StopAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
        var failures = host.Logs.Entries.Where(e => e.EventId.Id == GatewayEventIds.MiddlewareBackgroundWorkFailed).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.Contains(failures, e => e.Exception?.Message == "background failure");
        Assert.Contains(failures, e => e.Exception?.Message == "failed at once");
        Assert.Equal(0, host.Services.GetRequiredService<MiddlewareBackgroundWork>().OutstandingCount);
    }
}
