using System.Text.Json.Serialization;

namespace Cluster.Gateway.Dashboard;

/// <summary>The dashboard's JSON, source-generated: camelCase, compact (one line, as an event stream's <c>data:</c> needs).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DashboardSnapshot))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
