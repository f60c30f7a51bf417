using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cluster.Generators.Middleware;
using Cluster.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cluster.Generators.Analysis;

/// <summary>
/// Reads the middleware's <c>Config.Matcher</c> from syntax and compiles it. Like Next.js, which reads
/// <c>export const config</c> statically, the values must be constants: string literals of any kind, <c>+</c> and
/// interpolations of them, and <c>const</c> strings declared in the middleware class. Reading syntax keeps this in
/// the per-file step (cached until the file changes) and works although the class comes from another assembly.
/// </summary>
internal sealed class MiddlewareConfigReader
{
    // Guards const evaluation against a cycle the app's own build would reject anyway.
    private const int MaxConstantDepth = 32;

    private const string Accepted =
        "use string literals (or const strings of the middleware class) and write rules as strings or 'new MatcherRule { Source = ..., Has = [...], Missing = [...] }'";

    private static readonly string[] s_conditionTypes = ["Header", "Query", "Cookie", "Host"];

    private readonly string _filePath;
    private readonly string _sourceFile;
    private readonly string _className;
    private readonly Dictionary<string, ExpressionSyntax> _constants;
    private readonly List<DiagnosticInfo> _diagnostics;

    private MiddlewareConfigReader(string filePath, string sourceFile, ClassDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics)
    {
        _filePath = filePath;
        _sourceFile = sourceFile;
        _className = declaration.Identifier.ValueText;
        _diagnostics = diagnostics;
        _constants = new Dictionary<string, ExpressionSyntax>(System.StringComparer.Ordinal);
        foreach (var field in declaration.Members.OfType<FieldDeclarationSyntax>().Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword)))
        {
            foreach (var variable in field.Declaration.Variables)
            {
                if (variable.Initializer is not null)
                {
                    _constants[variable.Identifier.ValueText] = variable.Initializer.Value;
                }
            }
        }
    }

    /// <summary>Reads and compiles the matcher of the class's public <c>Config</c>; reports faults to <paramref name="diagnostics"/>.</summary>
    /// <param name="filePath">The file's absolute path, for locations.</param>
    /// <param name="sourceFile">The file as shown in messages.</param>
    /// <param name="declaration">The middleware class.</param>
    /// <param name="diagnostics">Receives the faults.</param>
    /// <returns>The compiled rules; empty when there is no <c>Config</c> or no <c>Matcher</c>.</returns>
    public static EquatableArray<MatcherModel> Read(string filePath, string sourceFile, ClassDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics)
    {
        var reader = new MiddlewareConfigReader(filePath, sourceFile, declaration, diagnostics);
        return reader.ReadConfig(declaration).ToEquatableArray();
    }

    private List<MatcherModel> ReadConfig(ClassDeclarationSyntax declaration)
    {
        var rules = new List<MatcherModel>();
        foreach (var member in declaration.Members)
        {
            // Only the public member is the Config; the semantic pass checks its type and staticness.
            if (!member.Modifiers.Any(SyntaxKind.PublicKeyword))
            {
                continue;
            }

            switch (member)
            {
                case PropertyDeclarationSyntax { Identifier.ValueText: "Config" } property:
                    var value = property.Initializer?.Value ?? property.ExpressionBody?.Expression ?? GetterExpression(property);
                    if (value is null && property.AccessorList?.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null) == true)
                    {
                        NotConstant(property.Identifier, "initialize Config with 'new() { Matcher = [...] }' or '=> new() { Matcher = [...] }'");
                        return rules;
                    }

                    ReadConfigValue(value, rules);
                    return rules;
                case FieldDeclarationSyntax field when field.Declaration.Variables.FirstOrDefault(v => v.Identifier.ValueText == "Config") is { } variable:
                    ReadConfigValue(variable.Initializer?.Value, rules);
                    return rules;
            }
        }

        return rules;
    }

    // 'get => new() { ... }' or 'get { return new() { ... }; }': the one expression that is the value.
    private static ExpressionSyntax? GetterExpression(PropertyDeclarationSyntax property)
    {
        var getter = property.AccessorList?.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration));
        if (getter?.ExpressionBody is { } body)
        {
            return body.Expression;
        }

        return getter?.Body?.Statements is { Count: 1 } statements && statements[0] is ReturnStatementSyntax { Expression: { } returned }
            ? returned
            : null;
    }

    private void ReadConfigValue(ExpressionSyntax? value, List<MatcherModel> rules)
    {
        if (value is null || IsNull(value))
        {
            return;
        }

        if (value is not BaseObjectCreationExpressionSyntax creation
            || creation.ArgumentList is { Arguments.Count: > 0 }
            || (creation.Initializer is not null && !creation.Initializer.IsKind(SyntaxKind.ObjectInitializerExpression)))
        {
            NotConstant(value, "initialize Config with 'new() { Matcher = [...] }'");
            return;
        }

        foreach (var assignment in Assignments(creation.Initializer))
        {
            if (assignment.Name == "Matcher")
            {
                ReadRules(assignment.Value, rules);
            }
        }
    }

    private void ReadRules(ExpressionSyntax value, List<MatcherModel> rules)
    {
        if (IsNull(value))
        {
            return;
        }

        var elements = Elements(value);
        if (elements is null)
        {
            NotConstant(value, Accepted);
            return;
        }

        if (elements.Count == 0)
        {
            // The manifest's empty list means "everywhere", the opposite of what an empty matcher says.
            Invalid(value, "[]", "an empty Matcher would never run the middleware; remove Matcher to run it on every request");
            return;
        }

        foreach (var element in elements)
        {
            var rule = ReadRule(element);
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }
    }

    private MatcherModel? ReadRule(ExpressionSyntax element)
    {
        switch (element)
        {
            case CastExpressionSyntax cast:
                return ReadRule(cast.Expression);
            case ParenthesizedExpressionSyntax parenthesized:
                return ReadRule(parenthesized.Expression);
            case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
                when invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromString" }:
                return ReadRule(invocation.ArgumentList.Arguments[0].Expression);
            case BaseObjectCreationExpressionSyntax creation:
                if (creation.ArgumentList is { Arguments.Count: > 0 }
                    || (creation.Initializer is not null && !creation.Initializer.IsKind(SyntaxKind.ObjectInitializerExpression)))
                {
                    NotConstant(element, Accepted);
                    return null;
                }

                return ReadRuleObject(creation);
        }

        if (!TryEvaluate(element, out var source, 0))
        {
            NotConstant(element, Accepted);
            return null;
        }

        return CompileRule(element, source, [], []);
    }

    private MatcherModel? ReadRuleObject(BaseObjectCreationExpressionSyntax creation)
    {
        // MatcherRule.Source defaults to "/".
        var source = "/";
        SyntaxNode sourceNode = creation;
        var has = new List<ConditionModel>();
        var missing = new List<ConditionModel>();
        var valid = true;
        foreach (var assignment in Assignments(creation.Initializer))
        {
            switch (assignment.Name)
            {
                case "Source":
                    sourceNode = assignment.Value;
                    if (!TryEvaluate(assignment.Value, out source, 0))
                    {
                        NotConstant(assignment.Value, Accepted);
                        valid = false;
                    }

                    break;
                case "Has":
                    valid &= ReadConditions(assignment.Value, has);
                    break;
                case "Missing":
                    valid &= ReadConditions(assignment.Value, missing);
                    break;
            }
        }

        return valid ? CompileRule(sourceNode, source, has, missing) : null;
    }

    private MatcherModel? CompileRule(SyntaxNode sourceNode, string? source, List<ConditionModel> has, List<ConditionModel> missing)
    {
        if (source is null)
        {
            Invalid(sourceNode, "null", "a matcher source must start with '/'");
            return null;
        }

        var path = PathToRegexp.Compile(source);
        if (path.Error is not null)
        {
            Invalid(sourceNode, source, path.Error);
            return null;
        }

        return new MatcherModel(source, path.Pattern!, has.ToEquatableArray(), missing.ToEquatableArray());
    }

    private bool ReadConditions(ExpressionSyntax value, List<ConditionModel> conditions)
    {
        if (IsNull(value))
        {
            return true;
        }

        var elements = Elements(value);
        if (elements is null)
        {
            NotConstant(value, "write conditions as '[new MatcherCondition { Type = MatcherConditionType.Header, Key = \"...\", Value = \"...\" }]'");
            return false;
        }

        var valid = true;
        foreach (var element in elements)
        {
            var condition = ReadCondition(element);
            if (condition is null)
            {
                valid = false;
            }
            else
            {
                conditions.Add(condition);
            }
        }

        return valid;
    }

    private ConditionModel? ReadCondition(ExpressionSyntax element)
    {
        if (element is not BaseObjectCreationExpressionSyntax creation
            || creation.ArgumentList is { Arguments.Count: > 0 }
            || (creation.Initializer is not null && !creation.Initializer.IsKind(SyntaxKind.ObjectInitializerExpression)))
        {
            NotConstant(element, "write a condition as 'new MatcherCondition { Type = MatcherConditionType.Header, Key = \"...\", Value = \"...\" }'");
            return null;
        }

        // MatcherCondition.Type defaults to Header (the enum's first member).
        var type = "Header";
        string? key = null;
        string? value = null;
        SyntaxNode? valueNode = null;
        var valid = true;
        foreach (var assignment in Assignments(creation.Initializer))
        {
            switch (assignment.Name)
            {
                case "Type":
                    var member = assignment.Value switch
                    {
                        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                        _ => null,
                    };
                    if (member is null || !s_conditionTypes.Contains(member))
                    {
                        NotConstant(assignment.Value, "write the type as 'MatcherConditionType.Header' (or Query, Cookie, Host)");
                        valid = false;
                    }
                    else
                    {
                        type = member;
                    }

                    break;
                case "Key":
                    if (!TryEvaluate(assignment.Value, out key, 0))
                    {
                        NotConstant(assignment.Value, Accepted);
                        valid = false;
                    }

                    break;
                case "Value":
                    valueNode = assignment.Value;
                    if (!TryEvaluate(assignment.Value, out value, 0))
                    {
                        NotConstant(assignment.Value, Accepted);
                        valid = false;
                    }

                    break;
            }
        }

        if (!valid)
        {
            return null;
        }

        var description = Describe(type, key, value);
        if (type == "Host" && key is not null)
        {
            Invalid(creation, description, "a Host condition has no Key (its Value matches the host name)");
            return null;
        }

        if (type != "Host" && string.IsNullOrEmpty(key))
        {
            Invalid(creation, description, $"a {type} condition needs a Key (the {type.ToLowerInvariant()} name)");
            return null;
        }

        var compiled = PathToRegexp.CompileConditionValue(value);
        if (compiled.Error is not null)
        {
            Invalid(valueNode ?? creation, description, compiled.Error);
            return null;
        }

        return new ConditionModel(type, key, compiled.Pattern);
    }

    private static string Describe(string type, string? key, string? value)
    {
        var builder = new StringBuilder(type);
        if (key is not null)
        {
            builder.Append(' ').Append(key);
        }

        if (value is not null)
        {
            builder.Append(" = ").Append(value);
        }

        return builder.ToString();
    }

    // The items of '[...]', 'new[] {...}', 'new T[] {...}' or 'new List<T> {...}'; null for any other form.
    private static IReadOnlyList<ExpressionSyntax>? Elements(ExpressionSyntax value)
    {
        switch (value)
        {
            case CollectionExpressionSyntax collection:
                var items = new List<ExpressionSyntax>();
                foreach (var element in collection.Elements)
                {
                    if (element is not ExpressionElementSyntax expression)
                    {
                        return null;
                    }

                    items.Add(expression.Expression);
                }

                return items;
            case ArrayCreationExpressionSyntax { Initializer: { } initializer }:
                return initializer.Expressions;
            case ImplicitArrayCreationExpressionSyntax array:
                return array.Initializer.Expressions;
            case ObjectCreationExpressionSyntax { Initializer: { } initializer } creation
                when initializer.IsKind(SyntaxKind.CollectionInitializerExpression) && creation.ArgumentList is not { Arguments.Count: > 0 }:
                return initializer.Expressions;
            case ParenthesizedExpressionSyntax parenthesized:
                return Elements(parenthesized.Expression);
            default:
                return null;
        }
    }

    // 'Name = value' pairs of an object initializer; other forms are left to the app's own compiler.
    private static IEnumerable<(string Name, ExpressionSyntax Value)> Assignments(InitializerExpressionSyntax? initializer)
    {
        if (initializer is null)
        {
            yield break;
        }

        foreach (var expression in initializer.Expressions)
        {
            if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } assignment)
            {
                yield return (name.Identifier.ValueText, assignment.Right);
            }
        }
    }

    private static bool IsNull(ExpressionSyntax value) =>
        value.IsKind(SyntaxKind.NullLiteralExpression) || value.IsKind(SyntaxKind.DefaultLiteralExpression);

    // A constant string (or null) from syntax alone.
    private bool TryEvaluate(ExpressionSyntax expression, out string? value, int depth)
    {
        value = null;
        if (depth > MaxConstantDepth)
        {
            return false;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                // ValueText undoes escapes for regular, verbatim and raw literals alike.
                value = literal.Token.ValueText;
                return true;
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NullLiteralExpression):
                return true;
            case ParenthesizedExpressionSyntax parenthesized:
                return TryEvaluate(parenthesized.Expression, out value, depth + 1);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                if (TryEvaluate(binary.Left, out var left, depth + 1) && TryEvaluate(binary.Right, out var right, depth + 1))
                {
                    // As in C#, a null operand of string concatenation is an empty string.
                    value = left + right;
                    return true;
                }

                return false;
            case InterpolatedStringExpressionSyntax interpolated:
                return TryEvaluateInterpolation(interpolated, out value, depth);
            case IdentifierNameSyntax identifier:
                return TryEvaluateConstant(identifier.Identifier.ValueText, out value, depth);
            case MemberAccessExpressionSyntax { Expression: var target, Name: IdentifierNameSyntax member }
                when IsThisClass(target):
                return TryEvaluateConstant(member.Identifier.ValueText, out value, depth);
            default:
                return false;
        }
    }

    private bool TryEvaluateInterpolation(InterpolatedStringExpressionSyntax interpolated, out string? value, int depth)
    {
        value = null;
        var builder = new StringBuilder();
        foreach (var content in interpolated.Contents)
        {
            switch (content)
            {
                case InterpolatedStringTextSyntax text:
                    builder.Append(text.TextToken.ValueText);
                    break;
                case InterpolationSyntax { AlignmentClause: null, FormatClause: null } hole
                    when TryEvaluate(hole.Expression, out var part, depth + 1):
                    builder.Append(part);
                    break;
                default:
                    return false;
            }
        }

        value = builder.ToString();
        return true;
    }

    private bool TryEvaluateConstant(string name, out string? value, int depth)
    {
        value = null;
        return _constants.TryGetValue(name, out var initializer) && TryEvaluate(initializer, out value, depth + 1);
    }

    // 'Middleware.Name' or 'Namespace.Middleware.Name' for the middleware class itself.
    private bool IsThisClass(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == _className,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText == _className,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == _className,
        _ => false,
    };

    private void NotConstant(SyntaxNode node, string hint) =>
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonConstantMatcher, LocationInfo.FromNode(_filePath, node), Shorten(node.ToString()), _sourceFile, hint));

    private void NotConstant(SyntaxToken token, string hint) =>
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonConstantMatcher, LocationInfo.FromToken(_filePath, token), token.ValueText, _sourceFile, hint));

    private void Invalid(SyntaxNode node, string matcher, string reason) =>
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMatcher, LocationInfo.FromNode(_filePath, node), matcher, _sourceFile, reason));

    // Messages quote the expression; a long one is cut so the message stays readable.
    private static string Shorten(string text)
    {
        var oneLine = string.Join(" ", text.Split(['\r', '\n'], System.StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()));
        return oneLine.Length <= 80 ? oneLine : oneLine.Substring(0, 77) + "...";
    }
}
