namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>The bound on every await of the middleware tests: nothing here should take more than a few seconds.</summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);
}
