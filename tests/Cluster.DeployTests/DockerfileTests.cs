using System.Xml.Linq;
using Cluster.DeployTests.Manifests;

namespace Cluster.DeployTests;

public sealed class DockerfileTests
{
    // No Docker engine here: the images are not built in tests; their Dockerfiles are checked statically.
    public static TheoryData<string, string, int[]> Images => new()
    {
        { "gateway.Dockerfile", "src/Gateway/Gateway.csproj", [8080] },
        { "silo.Dockerfile", "src/Silo/Silo.csproj", [8080, 11111] },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Check_Dockerfile_HoldsEveryInvariant(string dockerfile, string project, int[] ports)
    {
        var violations = DockerfileInvariants.Check(Read(dockerfile), AssemblyName(project), ports);

        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("USER $APP_UID", "", "runs as root")]
    [InlineData("USER $APP_UID", "USER root", "runs as root")]
    [InlineData("EXPOSE 8080", "EXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/_cluster/healthz", "HEALTHCHECK")]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime", "", "Not multi-stage")]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime", "FROM mcr.microsoft.com/dotnet/aspnet AS runtime", "untagged")]
    [InlineData("RUN dotnet restore src/Gateway/Gateway.csproj", "", "restore layer")]
    [InlineData("ARG ClusterApp=samples/ShopApp/ShopApp.csproj", "", "ClusterApp")]
    [InlineData("EXPOSE 8080", "", "8080")]
    public void Check_MutatedGatewayDockerfile_Fails(string original, string replacement, string expected)
    {
        var text = Read("gateway.Dockerfile");
        Assert.Contains(original, text, StringComparison.Ordinal);

        var violations = DockerfileInvariants.Check(text.Replace(original, replacement, StringComparison.Ordinal), "Cluster.Gateway", [8080]);

        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DockerIgnore_BuildOutputs_AreLeftOutOfTheContext()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"));

        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
    }

    private static string Read(string dockerfile) => File.ReadAllText(Path.Combine(DeployPaths.Deploy, "docker", dockerfile));

    private static string AssemblyName(string project) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, project)).Descendants("AssemblyName").Single().Value;
}
