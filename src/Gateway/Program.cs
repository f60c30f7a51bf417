using Cluster.Gateway.Hosting;

// The embedded default: with nothing configured, this process is the whole cluster (gateway + one silo).
var app = ClusterGateway.CreateApplication(args, Cluster.Generated.AppManifest.Instance);
app.Run();
