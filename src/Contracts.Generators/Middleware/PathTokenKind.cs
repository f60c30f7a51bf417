namespace Cluster.Generators.Middleware;

/// <summary>The lexical tokens of a path-to-regexp (v6) source.</summary>
internal enum PathTokenKind
{
    /// <summary>One literal character.</summary>
    Char,

    /// <summary>A character escaped with a backslash: always literal, never a prefix.</summary>
    EscapedChar,

    /// <summary>A parameter name after ':' (ASCII letters, digits and '_').</summary>
    Name,

    /// <summary>The content of a '(...)' group, kept as regex text.</summary>
    Pattern,

    /// <summary>'?', '*' or '+'.</summary>
    Modifier,

    /// <summary>'{'.</summary>
    Open,

    /// <summary>'}'.</summary>
    Close,

    /// <summary>The end of the source.</summary>
    End,
}
