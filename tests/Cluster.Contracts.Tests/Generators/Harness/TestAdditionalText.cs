using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Cluster.Generators.Tests.Harness;

/// <summary>An in-memory additional file.</summary>
internal sealed class TestAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
