using Cluster.Silo.Hosting;

var app = ClusterSilo.CreateApplication(args, Cluster.Generated.AppManifest.Instance);
app.Run();
