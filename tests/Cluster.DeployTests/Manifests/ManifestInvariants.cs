using System.Globalization;
using Cluster.DeployTests.Kustomize;
using Cluster.Gateway.Hosting;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;

namespace Cluster.DeployTests.Manifests;

/// <summary>
/// What the rendered manifests must hold against the code. Each check returns its violations (empty when it holds), so a
/// test can show every problem at once and a mutated copy can be shown to fail.
/// </summary>
internal static class ManifestInvariants
{
    public const string ComponentLabel = "app.kubernetes.io/component";

    public static IEnumerable<JsonObject> OfKind(IEnumerable<JsonObject> manifests, string kind) =>
        manifests.Where(m => (string?)m["kind"] == kind);

    public static string NameOf(JsonObject manifest) => (string)manifest["metadata"]!["name"]!;

    /// <summary>The Deployment whose pods carry <c>app.kubernetes.io/component=<paramref name="component"/></c>.</summary>
    public static JsonObject Workload(IReadOnlyList<JsonObject> manifests, string component) =>
        OfKind(manifests, "Deployment").SingleOrDefault(d => (string?)PodLabels(d)[ComponentLabel] == component)
        ?? throw new InvalidDataException($"No Deployment whose pods are labelled {ComponentLabel}={component}.");

    public static JsonObject PodLabels(JsonObject workload) => (JsonObject?)workload["spec"]?["template"]?["metadata"]?["labels"] ?? [];

    public static JsonObject PodSpec(JsonObject workload) => (JsonObject)workload["spec"]!["template"]!["spec"]!;

    public static IEnumerable<JsonObject> Containers(JsonObject workload) =>
        ((JsonArray?)PodSpec(workload)["containers"] ?? []).Cast<JsonObject>();

    /// <summary>A container's environment as the pod sees it: envFrom ConfigMaps of the render, then env (literal values; references as null).</summary>
    public static Dictionary<string, string?> Environment(IReadOnlyList<JsonObject> manifests, JsonObject container)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in ((JsonArray?)container["envFrom"] ?? []).Cast<JsonObject>())
        {
            if ((string?)source["configMapRef"]?["name"] is { } configMap)
            {
                var map = OfKind(manifests, "ConfigMap").SingleOrDefault(m => NameOf(m) == configMap)
                    ?? throw new InvalidDataException($"envFrom names the ConfigMap {configMap}, which is not in the render.");
                foreach (var (key, value) in (JsonObject?)map["data"] ?? [])
                {
                    environment[key] = value?.ToString();
                }
            }
        }

        foreach (var variable in ((JsonArray?)container["env"] ?? []).Cast<JsonObject>())
        {
            environment[(string)variable["name"]!] = variable["value"]?.ToString();
        }

        return environment;
    }

    /// <summary>Probe paths: startup and readiness on /_cluster/readyz, liveness on /_cluster/healthz, each a path the code maps, on a named container port that is the HTTP port.</summary>
    public static List<string> CheckProbes(IReadOnlyList<JsonObject> manifests, IReadOnlySet<string> mappedPaths)
    {
        var violations = new List<string>();
        foreach (var component in new[] { "silo", "gateway" })
        {
            var workload = Workload(manifests, component);
            foreach (var container in Containers(workload))
            {
                var environment = Environment(manifests, container);
                foreach (var (probe, expected) in new[] { ("startupProbe", "/_cluster/readyz"), ("readinessProbe", "/_cluster/readyz"), ("livenessProbe", "/_cluster/healthz") })
                {
                    var where = $"{component} container {container["name"]} {probe}";
                    if (container[probe]?["httpGet"] is not JsonObject httpGet)
                    {
                        violations.Add($"{where}: missing, or not an httpGet probe.");
                        continue;
                    }

                    var path = (string?)httpGet["path"];
                    if (path != expected)
                    {
                        violations.Add($"{where}: path '{path}', expected '{expected}'.");
                    }

                    if (path is null || !mappedPaths.Contains(path))
                    {
                        violations.Add($"{where}: path '{path}' is not an endpoint the code maps ({string.Join(", ", mappedPaths)}).");
                    }

                    var port = ResolvePort(container, httpGet["port"]);
                    var httpPort = HttpPort(environment);
                    if (port is null || port != httpPort)
                    {
                        violations.Add($"{where}: port {httpGet["port"]} is not the HTTP port {httpPort} (ASPNETCORE_HTTP_PORTS).");
                    }
                }
            }
        }

        return violations;
    }

    /// <summary>Container ports: the HTTP port is ASPNETCORE_HTTP_PORTS; the silo's cluster port is Silo__Port (default 11111).</summary>
    public static List<string> CheckPorts(IReadOnlyList<JsonObject> manifests)
    {
        var violations = new List<string>();
        foreach (var component in new[] { "silo", "gateway" })
        {
            foreach (var container in Containers(Workload(manifests, component)))
            {
                var environment = Environment(manifests, container);
                if (ResolvePort(container, "http") is not { } http || http != HttpPort(environment))
                {
                    violations.Add($"{component}: the container port 'http' does not match ASPNETCORE_HTTP_PORTS ({HttpPort(environment)}).");
                }

                if (component == "silo")
                {
                    var siloPort = SiloPort(environment);
                    if (ResolvePort(container, "cluster") != siloPort)
                    {
                        violations.Add($"silo: the container port 'cluster' does not match Silo__Port ({siloPort}).");
                    }
                }
            }
        }

        return violations;
    }

    /// <summary>Every environment variable of a gateway or silo container is a real setting (or one the .NET host reads).</summary>
    public static List<string> CheckEnvironmentVariables(IReadOnlyList<JsonObject> manifests)
    {
        var violations = new List<string>();
        foreach (var component in new[] { "silo", "gateway" })
        {
            foreach (var container in Containers(Workload(manifests, component)))
            {
                foreach (var variable in Environment(manifests, container).Keys.Where(static v => !SettingsCatalog.IsKnownVariable(v)))
                {
                    violations.Add($"{component}: '{variable}' is not a setting any options class binds (nor a .NET host variable).");
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// terminationGracePeriodSeconds exceeds the preStop pause plus the gateway's drain delay, the drain, the deactivations
    /// and the host's 5 s margin.
    /// </summary>
    public static List<string> CheckGracePeriod(IReadOnlyList<JsonObject> manifests)
    {
        var violations = new List<string>();
        foreach (var component in new[] { "silo", "gateway" })
        {
            var workload = Workload(manifests, component);
            var grace = Number(PodSpec(workload)["terminationGracePeriodSeconds"]) ?? 30;
            foreach (var container in Containers(workload))
            {
                var environment = Environment(manifests, container);
                var drain = Duration(environment, "Cluster__Runtime__DrainTimeout", new ClusterRuntimeOptions().DrainTimeout);
                var deactivation = Duration(environment, "Cluster__Runtime__GrainCollection__DeactivationTimeout", new GrainCollectionOptions().DeactivationTimeout);
                var drainDelay = Duration(environment, "Gateway__DrainDelay", new GatewayOptions().DrainDelay);
                var preStop = PreStopSeconds(container);
                var needed = TimeSpan.FromSeconds(preStop) + drainDelay + drain + deactivation + TimeSpan.FromSeconds(5);
                if (TimeSpan.FromSeconds(grace) <= needed)
                {
                    violations.Add($"{component}: terminationGracePeriodSeconds {grace} is not longer than preStop {preStop} s + DrainDelay {drainDelay} + DrainTimeout {drain} + DeactivationTimeout {deactivation} + 5 s.");
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// A gateway keeps serving for a while after SIGTERM (its drain delay, or a preStop pause), so that endpoints and
    /// ingress controllers stop sending it requests before it stops listening.
    /// </summary>
    public static List<string> CheckGatewayDrainWindow(IReadOnlyList<JsonObject> manifests)
    {
        var violations = new List<string>();
        foreach (var container in Containers(Workload(manifests, "gateway")))
        {
            var drainDelay = Duration(Environment(manifests, container), "Gateway__DrainDelay", new GatewayOptions().DrainDelay);
            if (drainDelay <= TimeSpan.Zero && PreStopSeconds(container) <= 0)
            {
                violations.Add("gateway: neither Gateway__DrainDelay nor a preStop pause keeps it serving while it leaves the endpoints; requests already routed to it would be refused.");
            }
        }

        return violations;
    }

    /// <summary>Every container image is tagged (or pinned by digest) and not 'latest'.</summary>
    public static List<string> CheckImages(IReadOnlyList<JsonObject> manifests)
    {
        var violations = new List<string>();
        foreach (var workload in manifests.Where(static m => m["spec"]?["template"]?["spec"] is JsonObject))
        {
            foreach (var key in new[] { "containers", "initContainers" })
            {
                foreach (var container in ((JsonArray?)PodSpec(workload)[key] ?? []).Cast<JsonObject>())
                {
                    var image = (string?)container["image"] ?? string.Empty;
                    var (_, tag, digest) = ImageReference.Parse(image);
                    if (digest is null && (tag is null || tag == "latest"))
                    {
                        violations.Add($"{workload["kind"]}/{NameOf(workload)} container {container["name"]}: image '{image}' is untagged or 'latest'.");
                    }
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// A NetworkPolicy selects the silo pods and lets only the cluster's own pods (gateways and silos) reach the silo
    /// port: every rule that admits that port names pod selectors that pick gateway and silo pods, not a stranger pod.
    /// </summary>
    public static List<string> CheckNetworkPolicy(IReadOnlyList<JsonObject> manifests)
    {
        var violations = new List<string>();
        var silo = Workload(manifests, "silo");
        var gatewayLabels = PodLabels(Workload(manifests, "gateway"));
        var siloLabels = PodLabels(silo);
        var container = Containers(silo).First();
        var siloPort = SiloPort(Environment(manifests, container));
        var stranger = new JsonObject { ["app.kubernetes.io/name"] = "something-else" };

        var policies = OfKind(manifests, "NetworkPolicy")
            .Where(p => Selects((JsonObject?)p["spec"]?["podSelector"] ?? [], siloLabels))
            .Where(p => ((JsonArray?)p["spec"]?["policyTypes"])?.Any(static t => (string?)t == "Ingress") ?? p["spec"]?["ingress"] is not null)
            .ToList();
        if (policies.Count == 0)
        {
            violations.Add("No NetworkPolicy with an Ingress policy selects the silo pods.");
            return violations;
        }

        var admitted = false;
        foreach (var policy in policies)
        {
            foreach (var rule in ((JsonArray?)policy["spec"]!["ingress"] ?? []).Cast<JsonObject>())
            {
                var ports = (JsonArray?)rule["ports"];
                var coversSiloPort = ports is null || ports.Count == 0 || ports.Any(p =>
                    p?["port"] is { } port && (port.ToString() == siloPort.ToString(CultureInfo.InvariantCulture) || ResolvePort(container, port) == siloPort));
                if (!coversSiloPort)
                {
                    continue;
                }

                var peers = ((JsonArray?)rule["from"] ?? []).Cast<JsonObject>().ToList();
                var where = $"NetworkPolicy/{NameOf(policy)}";
                if (peers.Count == 0)
                {
                    violations.Add($"{where}: a rule admits the silo port {siloPort} from anywhere.");
                    continue;
                }

                foreach (var peer in peers)
                {
                    if (peer["ipBlock"] is not null || peer["namespaceSelector"] is not null || peer["podSelector"] is not JsonObject selector)
                    {
                        violations.Add($"{where}: a rule admits the silo port {siloPort} from an ipBlock or other namespaces.");
                    }
                    else if (Selects(selector, stranger))
                    {
                        violations.Add($"{where}: a rule admits the silo port {siloPort} from pods that are not the cluster's.");
                    }
                }

                admitted |= peers.Any(p => p["podSelector"] is JsonObject s && Selects(s, gatewayLabels))
                            && peers.Any(p => p["podSelector"] is JsonObject s && Selects(s, siloLabels));
            }
        }

        if (!admitted)
        {
            violations.Add($"No NetworkPolicy rule admits gateway and silo pods to the silo port {siloPort}.");
        }

        return violations;
    }

    /// <summary>True if the label selector (matchLabels and matchExpressions) picks a pod with these labels.</summary>
    public static bool Selects(JsonObject selector, JsonObject labels)
    {
        foreach (var (key, value) in (JsonObject?)selector["matchLabels"] ?? [])
        {
            if ((string?)labels[key] != (string?)value)
            {
                return false;
            }
        }

        foreach (var expression in ((JsonArray?)selector["matchExpressions"] ?? []).Cast<JsonObject>())
        {
            var key = (string)expression["key"]!;
            var values = ((JsonArray?)expression["values"] ?? []).Select(static v => (string?)v).ToHashSet();
            var has = labels.TryGetPropertyValue(key, out var actual);
            var matches = (string?)expression["operator"] switch
            {
                "In" => has && values.Contains((string?)actual),
                "NotIn" => !has || !values.Contains((string?)actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                var op => throw new InvalidDataException($"Unknown selector operator '{op}'."),
            };
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    private static int HttpPort(Dictionary<string, string?> environment) =>
        environment.TryGetValue("ASPNETCORE_HTTP_PORTS", out var value) && int.TryParse(value, CultureInfo.InvariantCulture, out var port)
            ? port
            : 8080; // the .NET container images' own ASPNETCORE_HTTP_PORTS

    private static int SiloPort(Dictionary<string, string?> environment) =>
        environment.TryGetValue("Silo__Port", out var value) && int.TryParse(value, CultureInfo.InvariantCulture, out var port)
            ? port
            : new SiloOptions().Port;

    private static int? ResolvePort(JsonObject container, JsonNode? port)
    {
        if (port is null)
        {
            return null;
        }

        var text = port.ToString();
        if (int.TryParse(text, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return ((JsonArray?)container["ports"] ?? []).Cast<JsonObject>()
            .Where(p => (string?)p["name"] == text).Select(static p => (int?)Number(p["containerPort"])).FirstOrDefault();
    }

    private static long? Number(JsonNode? node) =>
        node is null ? null : long.Parse(node.ToString(), CultureInfo.InvariantCulture);

    private static TimeSpan Duration(Dictionary<string, string?> environment, string variable, TimeSpan fallback) =>
        environment.TryGetValue(variable, out var value) && value is not null
            ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
            : fallback;

    private static long PreStopSeconds(JsonObject container)
    {
        var preStop = container["lifecycle"]?["preStop"];
        if (preStop?["sleep"]?["seconds"] is { } seconds)
        {
            return Number(seconds) ?? 0;
        }

        var command = ((JsonArray?)preStop?["exec"]?["command"])?.Select(static c => c?.ToString()).ToList();
        return command is ["sleep", var value] ? long.Parse(value!, CultureInfo.InvariantCulture) : 0;
    }
}
