using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Cluster.PingBench;

/// <summary>
/// <c>--alloc-types</c>: which types the calls allocate. Listens in-process to the runtime's GC allocation-tick event,
/// which the runtime raises about once per 100 KB allocated and attributes to the type that crossed the mark, so the
/// bytes per type are an estimate whose error shrinks with the run's length (millions of calls: a few percent).
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const int AllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _bytesByType.Clear();
        _recording = true;
    }

    public void Stop() => _recording = false;

    public void Print(long calls, int top)
    {
        var total = _bytesByType.Values.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocations by type (sampled by the runtime every ~100 KB; {total / (double)calls:F0} B/call sampled in all):"));
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(static p => p.Value).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes / (double)calls,8:F1} B/call  {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        var type = names.IndexOf("TypeName") is var t and >= 0 ? payload[t] as string : null;
        var amount = names.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(payload[a], CultureInfo.InvariantCulture) : 0;
        if (type is not null && amount > 0)
        {
            _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
        }
    }
}
