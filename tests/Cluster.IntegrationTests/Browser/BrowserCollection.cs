namespace Cluster.IntegrationTests.Browser;

/// <summary>
/// Tests that drive the one headless Chromium of <see cref="BrowserFixture"/>: they run one after another (one browser,
/// one page) and the browser starts once for all of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
