using Cluster.Runtime.Hosting;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Messaging;

/// <summary><see cref="IClusterBroadcast"/> as <c>AddClusterRuntime</c> registers it: embedded (local only) and networked.</summary>
public sealed class ClusterBroadcastTests
{
    private const string Topic = "test.topic.v1";
    private const int ReceiverFailedEventId = 4631;

    [Fact]
    public async Task EmbeddedSilo_RunsEveryLocalReceiverOfTheTopicAndReturnsZero()
    {
        var first = new RecordingReceiver(Topic);
        var second = new RecordingReceiver(Topic);
        var other = new RecordingReceiver("other.topic");
        await using var silo = await StartEmbeddedAsync(services =>
        {
            services.AddSingleton<IBroadcastReceiver>(first);
            services.AddSingleton<IBroadcastReceiver>(second);
            services.AddSingleton<IBroadcastReceiver>(other);
        });
        var sut = silo.Services.GetRequiredService<IClusterBroadcast>();

        var acknowledged = await sut.BroadcastAsync(Topic, "payload"u8.ToArray(), CancellationToken.None).WithTimeout();

        Assert.Equal(0, acknowledged);
        Assert.IsType<LocalBroadcast>(sut);
        Assert.Equal("payload"u8.ToArray(), Assert.Single(first.Received));
        Assert.Equal("payload"u8.ToArray(), Assert.Single(second.Received));
        Assert.Empty(other.Received);
    }

    [Fact]
    public async Task EmbeddedSilo_ReceiverThrows_LoggedAndTheNextStillRuns()
    {
        var logs = new ListLogger();
        var failing = new RecordingReceiver(Topic) { Throws = true };
        var next = new RecordingReceiver(Topic);
        await using var silo = await StartEmbeddedAsync(services =>
        {
            services.AddLogging(builder => builder.AddProvider(logs));
            services.AddSingleton<IBroadcastReceiver>(failing);
            services.AddSingleton<IBroadcastReceiver>(next);
        });

        await silo.Services.GetRequiredService<IClusterBroadcast>().BroadcastAsync(Topic, new byte[] { 1 }, CancellationToken.None).WithTimeout();

        Assert.Single(next.Received);
        Assert.True(logs.Has(LogLevel.Error, ReceiverFailedEventId));
    }

    [Fact]
    public async Task EmbeddedSilo_BadArguments_RejectedAsInANetworkedSiloAndNothingRuns()
    {
        var receiver = new RecordingReceiver(Topic);
        await using var silo = await StartEmbeddedAsync(services =>
        {
            services.AddSingleton<IBroadcastReceiver>(receiver);
            services.Configure<MessagingOptions>(o => o.MaxFrameSize = 2048);
        });
        var sut = silo.Services.GetRequiredService<IClusterBroadcast>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Throws<ArgumentException>(() => { _ = sut.BroadcastAsync(string.Empty, new byte[1], CancellationToken.None); });
        Assert.Throws<ArgumentException>(() => { _ = sut.BroadcastAsync(new string('t', 257), new byte[1], CancellationToken.None); });
        Assert.Throws<ArgumentException>(() => { _ = sut.BroadcastAsync(Topic, new byte[2048], CancellationToken.None); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.BroadcastAsync(Topic, new byte[1], cancelled.Token));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task ReceiverWithoutATopic_FailsWhenTheReceiversAreBuilt()
    {
        await using var silo = await StartEmbeddedAsync(services => services.AddSingleton<IBroadcastReceiver>(new RecordingReceiver(string.Empty)));

        Assert.Throws<InvalidOperationException>(() => silo.Services.GetRequiredService<IClusterBroadcast>());
    }

    [Fact]
    public async Task NetworkedSilos_TheNoticeReachesThePeerSilosReceiversAndTheLocalOnes()
    {
        var local = new RecordingReceiver(Topic);
        var remote = new RecordingReceiver(Topic);
        await using var silos = await TwoSilos.StartAsync(
            first: services => services.AddSingleton<IBroadcastReceiver>(local),
            second: services => services.AddSingleton<IBroadcastReceiver>(remote));
        var transport = silos.First.Services.GetRequiredService<ClusterTransport>();

        // The second silo connected to the first when it joined (it probed it); that connection carries the notice.
        await Eventually.UntilAsync(() => transport.InboundConnectionCount == 1, "the second silo's connection to the first");
        var sut = silos.First.Services.GetRequiredService<IClusterBroadcast>();

        var acknowledged = await sut.BroadcastAsync(Topic, "drop"u8.ToArray(), CancellationToken.None).WithTimeout();

        Assert.IsType<ClusterBroadcast>(sut);
        Assert.Equal(1, acknowledged);
        Assert.Equal("drop"u8.ToArray(), Assert.Single(local.Received));
        Assert.Equal("drop"u8.ToArray(), Assert.Single(remote.Received));
    }

    private static Task<TestSilo> StartEmbeddedAsync(Action<IServiceCollection> services)
        => TestSilo.StartAsync(builder => builder.AddGrain<ProbeGrain>(ProbeGrain.Type), services: collection =>
        {
            collection.AddSingleton(new GrainProbe());
            services(collection);
        });
}
