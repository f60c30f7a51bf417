using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Cluster.Generators.Model;

/// <summary>
/// A place in an app file, kept as plain values so it can live in cached models. Route files are additional files,
/// not syntax trees of the host compilation, so diagnostics point at them with external-file locations.
/// </summary>
/// <param name="FilePath">The file's absolute path.</param>
/// <param name="Span">The span in the file's text.</param>
/// <param name="LineSpan">The same span as lines and columns.</param>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>A location for a fault of the file as a whole (its first character).</summary>
    public static LocationInfo WholeFile(string filePath) => new(filePath, default, default);

    /// <summary>The location of a token of a tree parsed from the file.</summary>
    public static LocationInfo FromToken(string filePath, SyntaxToken token) =>
        new(filePath, token.Span, token.GetLocation().GetLineSpan().Span);

    /// <summary>The location of a node of a tree parsed from the file.</summary>
    public static LocationInfo FromNode(string filePath, SyntaxNode node) =>
        new(filePath, node.Span, node.GetLocation().GetLineSpan().Span);

    /// <summary>Creates the Roslyn location.</summary>
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
