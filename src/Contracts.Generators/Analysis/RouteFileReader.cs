using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Cluster.Generators.Model;
using Cluster.Generators.Routing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Cluster.Generators.Analysis;

/// <summary>
/// The syntax pass over one route file: its URL pattern from its folders and its route class from its text. It does
/// not need the compilation, so its result is cached until the file itself changes.
/// </summary>
internal static class RouteFileReader
{
    // Preview so that the newest syntax an app may use still parses; the app's own build reports its syntax errors.
    /// <summary>The options app files are parsed with.</summary>
    internal static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>Reads a route file, or returns null for a file in a private folder (skipped silently).</summary>
    /// <param name="appDirectory">The app's directory.</param>
    /// <param name="filePath">The route file's absolute path.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    public static RouteFileModel? Read(string appDirectory, string filePath, SourceText text, CancellationToken cancellationToken)
    {
        var path = RoutePath.Parse(appDirectory, filePath);
        if (path.Kind == RoutePathKind.Private)
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var wholeFile = LocationInfo.WholeFile(filePath);
        if (path.Kind == RoutePathKind.OutsideApp)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidConfiguration,
                wholeFile,
                $"the route file '{filePath}' is not under '{appDirectory}/app/'"));
        }
        else if (path.Kind == RoutePathKind.Unsupported)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedFolder, wholeFile, path.Folder!, path.SourceFile, path.Reason!));
        }

        var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, filePath, cancellationToken);
        var root = tree.GetCompilationUnitRoot(cancellationToken);
        var classes = new List<(ClassDeclarationSyntax Class, string Namespace)>();
        CollectPublicClasses(root.Members, string.Empty, classes);

        string? metadataName = null;
        var classLocation = wholeFile;
        var members = new List<MemberLocation>();
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
            CollectMembers(filePath, declaration, members);
        }
        else
        {
            var found = classes.Count == 0
                ? "none"
                : $"{classes.Count} ({string.Join(", ", classes.Select(c => c.Class.Identifier.ValueText))})";
            var location = classes.Count == 0 ? wholeFile : LocationInfo.FromToken(filePath, classes[1].Class.Identifier);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RouteClassCount, location, path.SourceFile, found));
        }

        return new RouteFileModel(
            filePath,
            path.SourceFile,
            path.Kind == RoutePathKind.Route ? path.Pattern : null,
            metadataName,
            classLocation,
            members.ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    /// <summary>Collects the public top-level classes of a file (with their namespaces); the middleware reader shares it.</summary>
    internal static void CollectPublicClasses(SyntaxList<MemberDeclarationSyntax> members, string ns, List<(ClassDeclarationSyntax, string)> classes)
    {
        foreach (var member in members)
        {
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax namespaceDeclaration:
                    var name = namespaceDeclaration.Name.ToString().Replace(" ", string.Empty);
                    CollectPublicClasses(namespaceDeclaration.Members, ns.Length == 0 ? name : ns + "." + name, classes);
                    break;
                case ClassDeclarationSyntax classDeclaration when classDeclaration.Modifiers.Any(SyntaxKind.PublicKeyword):
                    classes.Add((classDeclaration, ns));
                    break;
            }
        }
    }

    /// <summary>Records where the members of a class are declared; the middleware reader shares it.</summary>
    internal static void CollectMembers(string filePath, ClassDeclarationSyntax declaration, List<MemberLocation> members)
    {
        foreach (var member in declaration.Members)
        {
            switch (member)
            {
                case MethodDeclarationSyntax method:
                    Add(method.Identifier.ValueText, method.Identifier);
                    break;
                case PropertyDeclarationSyntax property:
                    Add(property.Identifier.ValueText, property.Identifier);
                    break;
                case ConstructorDeclarationSyntax constructor:
                    Add(".ctor", constructor.Identifier);
                    break;
                case BaseFieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        Add(variable.Identifier.ValueText, variable.Identifier);
                    }

                    break;
            }
        }

        // The first declaration of a name is where its diagnostics go.
        void Add(string name, SyntaxToken token)
        {
            if (!members.Any(m => m.Name == name))
            {
                members.Add(new MemberLocation(name, LocationInfo.FromToken(filePath, token)));
            }
        }
    }
}
