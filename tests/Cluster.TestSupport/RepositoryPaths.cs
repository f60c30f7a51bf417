namespace Cluster.TestSupport;

/// <summary>Finds the repository root (the folder that holds Cluster.sln) from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Cluster.sln) was not found above " + AppContext.BaseDirectory);
    }
}
