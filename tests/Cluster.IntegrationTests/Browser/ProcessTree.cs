using System.Diagnostics;
using System.Globalization;

namespace Cluster.IntegrationTests.Browser;

/// <summary>
/// Reads the process tree from <c>/proc</c> (Linux): which processes descend from a given one, each identified by its
/// pid and start time, so that a pid reused by an unrelated process after ours exited is never taken for ours.
/// </summary>
internal static class ProcessTree
{
    /// <summary>Every live process below <paramref name="root"/> (children, their children, ...), not the root itself.</summary>
    public static List<ProcessIdentity> DescendantsOf(int root)
    {
        var children = new Dictionary<int, List<ProcessIdentity>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(pid, out var parent, out var identity))
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    list = [];
                    children.Add(parent, list);
                }

                list.Add(identity);
            }
        }

        var found = new List<ProcessIdentity>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child.Pid);
            }
        }

        return found;
    }

    /// <summary>The live process <paramref name="pid"/>, or <c>null</c>.</summary>
    public static ProcessIdentity? Of(int pid) => TryRead(pid, out _, out var identity) ? identity : null;

    /// <summary>Whether <paramref name="process"/> still runs (the same pid with the same start time, not a zombie).</summary>
    public static bool IsAlive(ProcessIdentity process)
        => TryRead(process.Pid, out _, out var now) && now.StartTicks == process.StartTicks;

    /// <summary>Kills <paramref name="process"/> if it still runs; true when it had to.</summary>
    public static bool KillIfAlive(ProcessIdentity process)
    {
        if (!IsAlive(process))
        {
            return false;
        }

        try
        {
            using var running = Process.GetProcessById(process.Pid);
            running.Kill();
            running.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        return true;
    }

    /// <summary>
    /// Parses <c>/proc/&lt;pid&gt;/stat</c>: <c>pid (comm) state ppid ...</c> with the start time as field 22. The command
    /// name may hold spaces and parentheses, so the fields are counted from the last <c>)</c>. A zombie counts as gone.
    /// </summary>
    private static bool TryRead(int pid, out int parent, out ProcessIdentity identity)
    {
        parent = 0;
        identity = default;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var close = stat.LastIndexOf(')');
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || close < open || close + 2 >= stat.Length)
        {
            return false;
        }

        // After ") ": field 3 (state) is [0], field 4 (ppid) is [1], field 22 (starttime) is [19].
        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0] is "Z" or "X"
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out parent)
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return false;
        }

        identity = new ProcessIdentity(pid, stat[(open + 1)..close], started);
        return true;
    }
}
