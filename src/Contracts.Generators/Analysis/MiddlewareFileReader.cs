using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Cluster.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Cluster.Generators.Analysis;

/// <summary>
/// The syntax pass over the middleware file: its place (next to <c>app/</c>), its one public class and its
/// <c>Config.Matcher</c>, compiled. It does not need the compilation, so its result is cached until the file changes.
/// </summary>
internal static class MiddlewareFileReader
{
    /// <summary>The middleware file's only valid path, relative to the app's directory.</summary>
    public const string FileName = "middleware.cs";

    /// <summary>Reads a middleware file.</summary>
    /// <param name="appDirectory">The app's directory.</param>
    /// <param name="filePath">The middleware file's absolute path.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    public static MiddlewareFileModel Read(string appDirectory, string filePath, SourceText text, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var wholeFile = LocationInfo.WholeFile(filePath);
        var sourceFile = RelativePath(appDirectory, filePath);
        var isWellPlaced = string.Equals(sourceFile, FileName, StringComparison.Ordinal);
        if (!isWellPlaced)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.MisplacedMiddleware,
                wholeFile,
                sourceFile,
                $"it is not '{appDirectory.TrimEnd('/', '\\')}/{FileName}'"));
        }

        var tree = CSharpSyntaxTree.ParseText(text, RouteFileReader.ParseOptions, filePath, cancellationToken);
        var root = tree.GetCompilationUnitRoot(cancellationToken);
        var classes = new List<(ClassDeclarationSyntax Class, string Namespace)>();
        RouteFileReader.CollectPublicClasses(root.Members, string.Empty, classes);

        string? metadataName = null;
        var classLocation = wholeFile;
        var members = new List<MemberLocation>();
        var matchers = default(EquatableArray<MatcherModel>);
        if (classes.Count == 1)
        {
            var (declaration, ns) = classes[0];
            var name = declaration.Identifier.ValueText;
            if (declaration.TypeParameterList is { Parameters.Count: > 0 } typeParameters)
            {
                name += "`" + typeParameters.Parameters.Count;
            }

            metadataName = ns.Length == 0 ? name : ns + "." + name;
            classLocation = LocationInfo.FromToken(filePath, declaration.Identifier);
            RouteFileReader.CollectMembers(filePath, declaration, members);
            matchers = MiddlewareConfigReader.Read(filePath, sourceFile, declaration, diagnostics);
        }
        else
        {
            var found = classes.Count == 0
                ? "none"
                : $"{classes.Count} ({string.Join(", ", classes.Select(c => c.Class.Identifier.ValueText))})";
            var location = classes.Count == 0 ? wholeFile : LocationInfo.FromToken(filePath, classes[1].Class.Identifier);
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidMiddlewareClass,
                location,
                sourceFile,
                $"it must declare exactly one public top-level class (the middleware), but it declares {found}"));
        }

        return new MiddlewareFileModel(
            filePath,
            sourceFile,
            isWellPlaced,
            metadataName,
            classLocation,
            members.ToEquatableArray(),
            matchers,
            diagnostics.ToEquatableArray());
    }

    // The path relative to the app's directory with '/' separators, or the full path when it is outside it.
    private static string RelativePath(string appDirectory, string filePath)
    {
        var file = filePath.Replace('\\', '/');
        var prefix = appDirectory.Replace('\\', '/').TrimEnd('/') + "/";

        // Windows paths may differ in case between MSBuild's item and property, as for route files.
        return file.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? file.Substring(prefix.Length) : file;
    }
}
