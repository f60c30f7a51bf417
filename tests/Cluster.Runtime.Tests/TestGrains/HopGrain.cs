using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A non-reentrant grain that calls the next grain of a route while its own turn waits (A → B → A cycles).</summary>
public sealed class HopGrain : Grain, IGrainHandler<HopRequest, string>
{
    public static readonly GrainType Type = new("hop");

    private readonly IGrainFactory _factory;
    private readonly HopLog _log;

    public HopGrain(IGrainFactory factory, HopLog log)
    {
        _factory = factory;
        _log = log;
    }

    public async ValueTask<string> HandleAsync(HopRequest request, CancellationToken cancellationToken)
    {
        _log.Visits.Enqueue(GrainId.Key);
        if (request.Route.Length == 0)
        {
            return GrainId.Key;
        }

        // After an await on purpose: the scope must work anywhere in the turn, not only before its first await.
        await Task.Yield();
        var comma = request.Route.IndexOf(',', StringComparison.Ordinal);
        var next = comma < 0 ? request.Route : request.Route[..comma];
        var rest = comma < 0 ? string.Empty : request.Route[(comma + 1)..];
        var grain = _factory.GetGrain(Type, next);
        var onward = new HopRequest(rest, HopMode.Plain);
        string answer;
        switch (request.Mode)
        {
            case HopMode.InScope:
                using (RequestContext.AllowCallChainReentrancy())
                {
                    answer = await grain.InvokeAsync<HopRequest, string>(onward, cancellationToken);
                }

                break;
            case HopMode.AfterScope:
                using (RequestContext.AllowCallChainReentrancy())
                {
                    await Task.Yield();
                }

                answer = await grain.InvokeAsync<HopRequest, string>(onward, cancellationToken);
                break;
            default:
                answer = await grain.InvokeAsync<HopRequest, string>(onward, cancellationToken);
                break;
        }

        return GrainId.Key + ">" + answer;
    }
}
