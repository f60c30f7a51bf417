using Microsoft.CodeAnalysis;

namespace Cluster.Generators;

/// <summary>
/// Every diagnostic the route generator reports. All are errors: an app that breaks a rule must not build, as a
/// Next.js app with an invalid tree does not start. Ids are never reused for another meaning.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>The category of every route-generator diagnostic.</summary>
    public const string Category = "Cluster.Routing";

    /// <summary>CLUSTER001: the route tree breaks one of Next.js's <c>getSortedRoutes</c> rules.</summary>
    public static readonly DiagnosticDescriptor InvalidRouteTree = Create(
        "CLUSTER001",
        "Invalid route tree",
        "Invalid route tree at '{1}': {0}");

    /// <summary>CLUSTER002: two route files serve the same URL (e.g. through two route groups).</summary>
    public static readonly DiagnosticDescriptor DuplicateRoute = Create(
        "CLUSTER002",
        "Two route files serve the same URL",
        "The route files '{1}' and '{2}' both serve the URL '{0}'; a URL can have only one route file");

    /// <summary>CLUSTER003: a folder form that route handlers cannot use (<c>@slot</c>, interception markers, an escaped '/').</summary>
    public static readonly DiagnosticDescriptor UnsupportedFolder = Create(
        "CLUSTER003",
        "Unsupported folder in a route path",
        "The folder '{0}' of '{1}' is not supported for route handlers: {2}");

    /// <summary>CLUSTER004: a route file without exactly one public top-level class.</summary>
    public static readonly DiagnosticDescriptor RouteClassCount = Create(
        "CLUSTER004",
        "A route file must declare exactly one public class",
        "The route file '{0}' must declare exactly one public top-level class, but it declares {1}");

    /// <summary>CLUSTER005: the route class is not in the host's compilation or its references.</summary>
    public static readonly DiagnosticDescriptor RouteClassNotFound = Create(
        "CLUSTER005",
        "Route class not found",
        "The route class '{0}' of '{1}' was not found in the compilation; the host project must reference the app project");

    /// <summary>CLUSTER006: a handler with parameters other than (), (RouteRequest) or (RouteRequest, RouteContext).</summary>
    public static readonly DiagnosticDescriptor InvalidHandlerParameters = Create(
        "CLUSTER006",
        "Unsupported handler parameters",
        "The handler '{0}' in '{1}' has unsupported parameters ({2}); a handler takes (), (RouteRequest) or (RouteRequest, RouteContext)");

    /// <summary>CLUSTER007: a handler returning something other than RouteResponse, Task or ValueTask of it.</summary>
    public static readonly DiagnosticDescriptor InvalidHandlerReturnType = Create(
        "CLUSTER007",
        "Unsupported handler return type",
        "The handler '{0}' in '{1}' returns '{2}'; a handler returns RouteResponse, Task<RouteResponse> or ValueTask<RouteResponse>");

    /// <summary>CLUSTER008: a route file without any HTTP method handler.</summary>
    public static readonly DiagnosticDescriptor NoHandler = Create(
        "CLUSTER008",
        "Route file defines no handler",
        "The route file '{0}' defines no HTTP method handler; declare a public method named GET, HEAD, OPTIONS, POST, PUT, PATCH or DELETE");

    /// <summary>CLUSTER009: a route class that cannot be used (generic, abstract, no single public constructor, ...).</summary>
    public static readonly DiagnosticDescriptor InvalidRouteClass = Create(
        "CLUSTER009",
        "Route class cannot be used",
        "The route class '{0}' in '{1}' cannot be used: {2}");

    /// <summary>CLUSTER010: a <c>Config</c> member that is not a public static RouteConfig property.</summary>
    public static readonly DiagnosticDescriptor InvalidConfig = Create(
        "CLUSTER010",
        "Invalid route Config",
        "The member 'Config' of '{0}' in '{1}' must be a public static property of type Cluster.Routing.RouteConfig");

    /// <summary>CLUSTER011: a <c>GenerateStaticParams</c> member of the wrong shape.</summary>
    public static readonly DiagnosticDescriptor InvalidGenerateStaticParams = Create(
        "CLUSTER011",
        "Invalid GenerateStaticParams",
        "The member 'GenerateStaticParams' of '{0}' in '{1}' must be one public static method with no parameters returning IEnumerable<RouteParams>, Task<IEnumerable<RouteParams>> or ValueTask<IEnumerable<RouteParams>>");

    /// <summary>CLUSTER012: the host's cluster-app build properties are missing or wrong.</summary>
    public static readonly DiagnosticDescriptor InvalidConfiguration = Create(
        "CLUSTER012",
        "Cluster app misconfigured",
        "The cluster app is misconfigured: {0}");

    /// <summary>CLUSTER013: the same handler declared twice (overloads).</summary>
    public static readonly DiagnosticDescriptor DuplicateHandler = Create(
        "CLUSTER013",
        "Handler declared more than once",
        "The handler '{0}' in '{1}' is declared more than once; declare one method per HTTP method");

    /// <summary>CLUSTER014: a middleware file that is not <c>middleware.cs</c> next to <c>app/</c>, or a second one.</summary>
    public static readonly DiagnosticDescriptor MisplacedMiddleware = Create(
        "CLUSTER014",
        "Misplaced or duplicate middleware file",
        "The middleware file '{0}' cannot be used: {1}; an app has at most one middleware file, next to app/ (middleware.cs in the app's directory)");

    /// <summary>CLUSTER015: a middleware class that cannot be used (not exactly one public class, not found, not static, bad Config).</summary>
    public static readonly DiagnosticDescriptor InvalidMiddlewareClass = Create(
        "CLUSTER015",
        "Middleware class cannot be used",
        "The middleware in '{0}' cannot be used: {1}");

    /// <summary>CLUSTER016: a middleware without one public static <c>Run</c> of a supported signature.</summary>
    public static readonly DiagnosticDescriptor InvalidMiddlewareRun = Create(
        "CLUSTER016",
        "Unsupported middleware Run method",
        "The method 'Run' of '{0}' in '{1}' is not supported: {2}; middleware is static: declare 'public static' Run taking (RouteRequest) or (RouteRequest, MiddlewareContext) and returning MiddlewareResult, Task<MiddlewareResult> or ValueTask<MiddlewareResult>");

    /// <summary>CLUSTER017: a middleware <c>Config</c> or matcher value that cannot be read at build time.</summary>
    public static readonly DiagnosticDescriptor NonConstantMatcher = Create(
        "CLUSTER017",
        "Middleware matcher values must be compile-time constants",
        "Middleware matcher values must be compile-time constants: '{0}' in '{1}' cannot be read at build time; {2}");

    /// <summary>CLUSTER018: a middleware matcher whose source, condition or value regex is invalid.</summary>
    public static readonly DiagnosticDescriptor InvalidMatcher = Create(
        "CLUSTER018",
        "Invalid middleware matcher",
        "The middleware matcher '{0}' in '{1}' is invalid: {2}");

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat) =>
        new(id, title, messageFormat, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
