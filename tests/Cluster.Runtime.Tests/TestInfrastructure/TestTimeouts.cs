namespace Cluster.Runtime.Tests.TestInfrastructure;

/// <summary>Every await in these tests is bounded, so a broken runtime fails a test instead of hanging the run.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static Task<T> WithTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Default);
}
