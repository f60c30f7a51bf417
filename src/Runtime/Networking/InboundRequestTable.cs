using System.Collections.Concurrent;

namespace Cluster.Runtime.Networking;

/// <summary>
/// The requests of one connection whose grain did not answer at once, for the silo's status scan. Adding and removing
/// take no lock and, once warm, allocate nothing: a request takes a free slot index (from a lock-free queue of freed
/// ones, or the next new one) and writes itself into an array the scan reads. Growing the array (rare) takes a lock; a
/// write that raced with a copy is repeated on the new array, and a stale entry left in an old one is harmless (the
/// scan skips finished requests).
/// </summary>
internal sealed class InboundRequestTable
{
    private readonly ConcurrentQueue<int> _free = new();
    private readonly Lock _growLock = new();
    private InboundRequest?[] _slots = new InboundRequest?[16];
    private int _next;

    /// <summary>Adds a request that is now running or waiting.</summary>
    public void Add(InboundRequest request)
    {
        if (!_free.TryDequeue(out var slot))
        {
            slot = Interlocked.Increment(ref _next) - 1;
        }

        request.Slot = slot;
        Store(slot, request);
    }

    /// <summary>Removes a request that has finished.</summary>
    public void Remove(InboundRequest request)
    {
        var slot = request.Slot;
        if (slot < 0)
        {
            return;
        }

        request.Slot = -1;
        Store(slot, null);
        _free.Enqueue(slot);
    }

    /// <summary>Calls <paramref name="visit"/> for every request in the table now.</summary>
    public void ForEach<TState>(Action<InboundRequest, TState> visit, TState state)
    {
        var slots = Volatile.Read(ref _slots);
        var count = Math.Min(Volatile.Read(ref _next), slots.Length);
        for (var i = 0; i < count; i++)
        {
            if (Volatile.Read(ref slots[i]) is { } request)
            {
                visit(request, state);
            }
        }
    }

    private void Store(int slot, InboundRequest? value)
    {
        while (true)
        {
            var slots = Volatile.Read(ref _slots);
            if (slot >= slots.Length)
            {
                Grow(slot);
                continue;
            }

            Volatile.Write(ref slots[slot], value);
            if (ReferenceEquals(Volatile.Read(ref _slots), slots))
            {
                return;
            }
        }
    }

    private void Grow(int slot)
    {
        lock (_growLock)
        {
            var slots = _slots;
            if (slot < slots.Length)
            {
                return;
            }

            var grown = new InboundRequest?[Math.Max(slots.Length * 2, slot + 1)];
            for (var i = 0; i < slots.Length; i++)
            {
                grown[i] = Volatile.Read(ref slots[i]);
            }

            Volatile.Write(ref _slots, grown);
        }
    }
}
