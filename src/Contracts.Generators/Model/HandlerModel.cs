namespace Cluster.Generators.Model;

/// <summary>One HTTP method handler of a route class.</summary>
/// <param name="MethodName">The C# method name, e.g. <c>GET</c>.</param>
/// <param name="EnumMember">The matching <c>RouteMethod</c> member, e.g. <c>Get</c>.</param>
/// <param name="ParameterCount">0, 1 (request) or 2 (request, context).</param>
/// <param name="Shape">How it returns its response.</param>
/// <param name="IsStatic">Whether it is called on the type rather than an instance.</param>
internal sealed record HandlerModel(string MethodName, string EnumMember, int ParameterCount, ReturnShape Shape, bool IsStatic);
