using System.Collections.Concurrent;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// The silo side of the transport tests. Ops: <c>echo</c> (answers <c>key:text</c> at once), <c>async</c> (the same
/// after a yield), <c>throw</c>/<c>throw-async</c> (InvalidOperationException with the text), <c>notowner</c> (owner
/// view version = text), <c>reject</c> (SiloUnavailableException), <c>hang</c> (until <see cref="Release"/>),
/// <c>big</c> (a response of text characters).
/// </summary>
internal sealed class TestInboundHandler : IInboundCallHandler
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _invocations;
    private int _hanging;

    public int Invocations => Volatile.Read(ref _invocations);

    public int Hanging => Volatile.Read(ref _hanging);

    public ConcurrentQueue<InboundCallInfo> Infos { get; } = new();

    public ConcurrentQueue<int> Notices { get; } = new();

    public TaskCompletionSource<int> NoticeReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes hanging calls (with their echo).</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Waits until <paramref name="count"/> calls are hanging.</summary>
    public async Task WaitForHangingAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Hanging < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, InboundCallInfo info, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _invocations);
        Infos.Enqueue(info);
        var echo = (EchoRequest)(object)request!;
        var answer = grainId.Key + ":" + echo.Text;
        switch (echo.Op)
        {
            case "echo":
                return ValueTask.FromResult((TResponse)(object)answer);
            case "async":
                return AsyncEcho<TResponse>(answer);
            case "throw":
                throw new InvalidOperationException(echo.Text);
            case "throw-async":
                return ThrowAsync<TResponse>(echo.Text);
            case "notowner":
                throw new GrainNotOwnedException(int.Parse(echo.Text, System.Globalization.CultureInfo.InvariantCulture));
            case "reject":
                return ValueTask.FromException<TResponse>(new SiloUnavailableException(echo.Text));
            case "hang":
                return HangAsync<TResponse>(answer);
            case "big":
                return ValueTask.FromResult((TResponse)(object)new string('x', int.Parse(echo.Text, System.Globalization.CultureInfo.InvariantCulture)));
            default:
                throw new NotSupportedException(echo.Op);
        }
    }

    public void OnMembershipChanged(int version)
    {
        Notices.Enqueue(version);
        NoticeReceived.TrySetResult(version);
    }

    private static async ValueTask<TResponse> AsyncEcho<TResponse>(string answer)
    {
        await Task.Yield();
        return (TResponse)(object)answer;
    }

    private static async ValueTask<TResponse> ThrowAsync<TResponse>(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    private async ValueTask<TResponse> HangAsync<TResponse>(string answer)
    {
        Interlocked.Increment(ref _hanging);
        await _release.Task;
        return (TResponse)(object)answer;
    }
}
