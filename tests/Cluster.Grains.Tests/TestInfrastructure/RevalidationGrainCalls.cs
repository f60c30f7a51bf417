using System.Collections.Concurrent;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Runtime;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Messaging;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>
/// A grain factory whose calls never leave the test: it records every revalidation call (grain and request) and answers
/// with <see cref="Answer"/>, which a test replaces to hold, fail or count answers per route pattern.
/// </summary>
internal sealed class RevalidationGrainCalls : IGrainFactory, IGrainCallInvoker
{
    private readonly ConcurrentQueue<(GrainId Grain, RouteCacheInvalidation Request)> _calls = new();

    /// <summary>The answer of a call to the grain of a pattern; by default every owner dropped one entry.</summary>
    public Func<string, RouteCacheInvalidation, CancellationToken, Task<RouteCacheInvalidationResult>> Answer { get; set; } =
        static (_, _, _) => Task.FromResult(new RouteCacheInvalidationResult { Dropped = 1 });

    /// <summary>Every call so far, in the order they were made.</summary>
    public IReadOnlyList<(GrainId Grain, RouteCacheInvalidation Request)> Calls => [.. _calls];

    public GrainReference GetGrain(GrainType grainType, string key) => new(new GrainId(grainType, key), this);

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        Assert.Equal(RouteGrainReference.GrainType, grainId.Type);
        var invalidation = Assert.IsType<RouteCacheInvalidation>(request);
        _calls.Enqueue((grainId, invalidation));
        var answer = Answer(grainId.Key, invalidation, cancellationToken);
        return new ValueTask<TResponse>((Task<TResponse>)(object)answer);
    }
}
