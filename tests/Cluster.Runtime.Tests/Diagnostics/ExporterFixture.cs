using System.Diagnostics.Metrics;
using Cluster.Runtime.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Diagnostics;

/// <summary>An exporter over its own meter factory, so meters of tests running alongside never show up in its scrape.</summary>
internal sealed class ExporterFixture : IDisposable
{
    private readonly ServiceProvider _services;

    public ExporterFixture(Action<PrometheusExporterOptions>? configure = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _services.GetRequiredService<IMeterFactory>();
        var options = new PrometheusExporterOptions();
        configure?.Invoke(options);
        Exporter = new PrometheusExporter(Options.Create(options), MeterFactory);
    }

    public IMeterFactory MeterFactory { get; }

    public PrometheusExporter Exporter { get; }

    public Meter CreateMeter(string name = "Cluster.Test") => MeterFactory.Create(name);

    public Dictionary<string, ParsedFamily> Scrape() => PrometheusTextParser.Parse(Exporter.Collect());

    public void Dispose()
    {
        Exporter.Dispose();
        _services.Dispose();
    }
}
