using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cluster.Generators.Tests.Harness;

/// <summary>Analyzer config options from a dictionary (keys are compared case-insensitively, as the compiler does).</summary>
internal sealed class TestAnalyzerConfigOptions(IEnumerable<KeyValuePair<string, string>> values) : AnalyzerConfigOptions
{
    private readonly Dictionary<string, string> _values = new(values, StringComparer.OrdinalIgnoreCase);

    public static TestAnalyzerConfigOptions Empty { get; } = new([]);

    public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
}
