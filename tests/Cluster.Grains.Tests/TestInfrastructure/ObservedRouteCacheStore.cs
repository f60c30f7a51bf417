using System.Diagnostics.CodeAnalysis;
using Cluster.Grains.Caching;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>
/// The silo's real store, with a barrier a test can await: the next entry stored for a path (a background
/// regeneration finishing, say), so tests wait for an event instead of sleeping.
/// </summary>
internal sealed class ObservedRouteCacheStore(IRouteCacheStore inner) : IRouteCacheStore
{
    private readonly Lock _lock = new();
    private readonly List<(string Path, TaskCompletionSource<RouteCacheEntry> Stored)> _waiters = [];

    public IRouteCacheStore Inner => inner;

    public long Bytes => inner.Bytes;

    public int Count => inner.Count;

    /// <summary>Completes with the next entry stored for <paramref name="path"/> (call it before what stores one).</summary>
    public Task<RouteCacheEntry> NextSetAsync(string path)
    {
        var stored = new TaskCompletionSource<RouteCacheEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((path, stored));
        }

        return stored.Task.WaitAsync(TestTimeouts.Default);
    }

    public bool TryGet(string pattern, string path, [NotNullWhen(true)] out RouteCacheEntry? entry) => inner.TryGet(pattern, path, out entry);

    public void Set(string pattern, string path, RouteCacheEntry entry)
    {
        inner.Set(pattern, path, entry);
        OnStored(path, entry);
    }

    public bool SetIfNewer(string pattern, string path, RouteCacheEntry entry)
    {
        var stored = inner.SetIfNewer(pattern, path, entry);
        if (stored)
        {
            OnStored(path, entry);
        }

        return stored;
    }

    public bool Remove(string pattern, string path) => inner.Remove(pattern, path);

    public int RemoveAll(string pattern) => inner.RemoveAll(pattern);

    public IReadOnlyList<KeyValuePair<string, RouteCacheEntry>> EntriesOf(string pattern) => inner.EntriesOf(pattern);

    public void Park(string pattern, int viewVersion) => inner.Park(pattern, viewVersion);

    public bool TryUnpark(string pattern, out int viewVersion) => inner.TryUnpark(pattern, out viewVersion);

    private void OnStored(string path, RouteCacheEntry entry)
    {
        List<TaskCompletionSource<RouteCacheEntry>> due = [];
        lock (_lock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_waiters[i].Path, path, StringComparison.Ordinal))
                {
                    due.Add(_waiters[i].Stored);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var stored in due)
        {
            stored.TrySetResult(entry);
        }
    }
}
