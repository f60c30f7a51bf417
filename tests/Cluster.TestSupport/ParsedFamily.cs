namespace Cluster.TestSupport;

/// <summary>A metric family of a scrape: its HELP, TYPE and samples.</summary>
public sealed class ParsedFamily(string name)
{
    public string Name { get; } = name;

    public string? Help { get; set; }

    public string? Type { get; set; }

    public List<ParsedSample> Samples { get; } = [];
}
