using System.Collections;
using System.Reflection;
using Cluster.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Tests;

public sealed class RouteGeneratorIncrementalTests
{
    [Fact]
    public void RunGenerators_UnrelatedHostEdit_ReusesEveryStep()
    {
        // Arrange
        var app = CreateApp();
        var compilation = app.CreateHostCompilation();
        var driver = app.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(TestApp.ParseHostSource("namespace TestHost;\n\ninternal static class Other\n{\n}\n", "/host/Other.cs"));

        // Act
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // Assert
        Assert.All(Outputs(run, RouteGenerator.RouteFilesStep), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Outputs(run, RouteGenerator.RouteTreeStep), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Outputs(run, RouteGenerator.AppModelStep), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.All(Outputs(run, RouteGenerator.MiddlewareFilesStep), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Outputs(run, RouteGenerator.MiddlewareStep), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.All(
            run.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void RunGenerators_StepOutputs_HoldNoRoslynObjects()
    {
        var app = CreateApp();
        var run = app.CreateDriver(trackSteps: true).RunGenerators(app.CreateHostCompilation()).GetRunResult().Results.Single();

        var values = run.TrackedSteps
            .Where(step => step.Key is RouteGenerator.RouteFilesStep or RouteGenerator.RouteTreeStep or RouteGenerator.AppModelStep
                or RouteGenerator.MiddlewareFilesStep or RouteGenerator.MiddlewareStep)
            .SelectMany(step => step.Value)
            .SelectMany(step => step.Outputs)
            .Select(output => output.Value)
            .ToList();

        Assert.NotEmpty(values);
        Assert.Contains(values, value => value is Model.MiddlewareAnalysis { Middleware.Matchers.Count: 1 });
        Assert.All(values, value => AssertNoRoslynObjects(value, depth: 0));
    }

    private static IEnumerable<IncrementalStepRunReason> Outputs(GeneratorRunResult run, string step) =>
        run.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    // Symbols, compilations and syntax would pin a whole compilation in the cache and defeat value comparison.
    private static void AssertNoRoslynObjects(object? value, int depth)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || depth > 8)
        {
            return;
        }

        Assert.False(value is ISymbol or Compilation or SyntaxNode or SyntaxTree, $"A cached model holds a {value.GetType()}.");
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, depth + 1);
            }

            return;
        }

        if (value.GetType().Namespace?.StartsWith("Cluster.Generators", StringComparison.Ordinal) != true)
        {
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertNoRoslynObjects(property.GetValue(value), depth + 1);
        }
    }

    private static TestApp CreateApp() => new TestApp()
        .SimpleRoute("app/route.cs", "HomeRoute")
        .SimpleRoute("app/blog/[id]/route.cs", "PostRoute")
        .Middleware("""
            using Cluster.Routing;

            namespace TestApp;

            public static class Middleware
            {
                public static MiddlewareConfig Config { get; } = new()
                {
                    Matcher = [new MatcherRule { Source = "/blog/:id", Has = [new() { Type = MatcherConditionType.Header, Key = "x", Value = "1" }] }],
                };

                public static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();
            }
            """);
}
