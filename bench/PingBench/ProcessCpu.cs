using System.Globalization;

namespace Cluster.PingBench;

/// <summary>
/// The CPU time another process has used so far, from <c>/proc/&lt;pid&gt;/stat</c> (Linux): so a client run can give the
/// silo process's CPU per call beside its own.
/// </summary>
internal static class ProcessCpu
{
    // /proc reports in USER_HZ clock ticks, which Linux fixes at 100 per second for user space.
    private const double TicksPerSecond = 100;

    public static TimeSpan Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
