using System.Diagnostics;

namespace Cluster.Runtime.Tests.Tracing;

/// <summary>What <see cref="System.Diagnostics.Activity.Current"/> was where a call ran.</summary>
/// <param name="Activity">The activity current there, or null.</param>
internal sealed record TraceProbe(Activity? Activity);
