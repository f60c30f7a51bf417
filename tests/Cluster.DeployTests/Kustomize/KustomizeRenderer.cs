using System.Text;

namespace Cluster.DeployTests.Kustomize;

/// <summary>
/// An offline renderer for the kustomize subset deploy/k8s uses, so the manifests can be checked where kubectl is not
/// installed: <c>resources</c> (files and directories), <c>components</c>, <c>configMapGenerator</c> (<c>envs</c>,
/// <c>literals</c>, <c>behavior</c>), <c>secretGenerator</c> (<c>literals</c>), <c>patches</c> (strategic merge from a
/// file, including <c>$patch: delete</c>), <c>images</c> and <c>namespace</c>. Generated names get kustomize's content hash
/// and the references to them are rewritten. Any other field fails the render rather than being ignored.
/// </summary>
internal static class KustomizeRenderer
{
    private static readonly HashSet<string> s_supportedFields =
        ["apiVersion", "kind", "resources", "components", "namespace", "configMapGenerator", "secretGenerator", "patches", "images"];

    // Kinds that have no namespace (the ones these manifests could contain).
    private static readonly HashSet<string> s_clusterScoped =
        ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass"];

    public static List<JsonObject> Render(string directory)
    {
        var resources = Build(Path.GetFullPath(directory), isComponent: false);
        ApplyNameHashes(resources);
        return resources.Select(static r => r.Node).ToList();
    }

    private sealed class Resource(JsonObject node, bool generated)
    {
        public JsonObject Node { get; } = node;

        public bool Generated { get; set; } = generated;

        public string Kind => (string)Node["kind"]!;

        public string Name => (string)Node["metadata"]!["name"]!;
    }

    private static List<Resource> Build(string directory, bool isComponent, List<Resource>? accumulated = null)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        if (!File.Exists(file))
        {
            throw new InvalidDataException($"No kustomization.yaml in {directory}.");
        }

        var kustomization = YamlDocuments.Load(file).Single();
        var unsupported = kustomization.Select(static p => p.Key).Where(static k => !s_supportedFields.Contains(k)).ToList();
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException($"{file}: the offline renderer does not support {string.Join(", ", unsupported)}.");
        }

        if (isComponent != ((string?)kustomization["kind"] == "Component"))
        {
            throw new InvalidDataException($"{file}: a component must have kind: Component, and only a component.");
        }

        var resources = accumulated ?? [];
        foreach (var entry in Strings(kustomization["resources"]))
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            if (Directory.Exists(path))
            {
                resources.AddRange(Build(path, isComponent: false));
            }
            else
            {
                resources.AddRange(YamlDocuments.Load(path).Select(static n => new Resource(n, generated: false)));
            }
        }

        foreach (var entry in Strings(kustomization["components"]))
        {
            Build(Path.GetFullPath(Path.Combine(directory, entry)), isComponent: true, resources);
        }

        foreach (var generator in (kustomization["configMapGenerator"] as JsonArray ?? []).Cast<JsonObject>())
        {
            Generate(resources, "ConfigMap", generator, ReadPairs(directory, generator));
        }

        foreach (var generator in (kustomization["secretGenerator"] as JsonArray ?? []).Cast<JsonObject>())
        {
            var pairs = ReadPairs(directory, generator)
                .Select(static p => KeyValuePair.Create(p.Key, Base64(p.Value)));
            Generate(resources, "Secret", generator, pairs);
        }

        foreach (var patch in (kustomization["patches"] as JsonArray ?? []).Cast<JsonObject>())
        {
            var path = (string?)patch["path"]
                ?? throw new NotSupportedException($"{file}: only patches with a path are supported.");
            foreach (var document in YamlDocuments.Load(Path.Combine(directory, path)))
            {
                ApplyPatch(resources, document, path);
            }
        }

        foreach (var image in (kustomization["images"] as JsonArray ?? []).Cast<JsonObject>())
        {
            foreach (var resource in resources)
            {
                RewriteImages(resource.Node, image);
            }
        }

        if ((string?)kustomization["namespace"] is { } ns)
        {
            foreach (var resource in resources)
            {
                var metadata = (JsonObject)resource.Node["metadata"]!;
                if (resource.Kind == "Namespace")
                {
                    metadata["name"] = ns;
                }
                else if (!s_clusterScoped.Contains(resource.Kind))
                {
                    metadata["namespace"] = ns;
                }
            }
        }

        return resources;
    }

    /// <summary>kustomize's encoding of a Secret value: base64, wrapped at 70 characters (each line ending in a newline) when longer.</summary>
    private static string Base64(string value)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        if (encoded.Length <= 70)
        {
            return encoded;
        }

        return string.Concat(encoded.Chunk(70).Select(static line => new string(line) + "\n"));
    }

    private static IEnumerable<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(static n => (string)n!);

    private static List<KeyValuePair<string, string>> ReadPairs(string directory, JsonObject generator)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var env in Strings(generator["envs"]))
        {
            foreach (var line in File.ReadAllLines(Path.Combine(directory, env)))
            {
                var trimmed = line.TrimStart();
                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                {
                    continue;
                }

                pairs.Add(SplitPair(trimmed, env));
            }
        }

        pairs.AddRange(Strings(generator["literals"]).Select(static l => SplitPair(l, "literals")));
        if (generator.ContainsKey("files"))
        {
            throw new NotSupportedException("Generator 'files' are not supported by the offline renderer.");
        }

        return pairs;
    }

    private static KeyValuePair<string, string> SplitPair(string text, string source)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new InvalidDataException($"{source}: '{text}' is not KEY=value.");
        }

        return KeyValuePair.Create(text[..equals], text[(equals + 1)..]);
    }

    private static void Generate(List<Resource> resources, string kind, JsonObject generator, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var name = (string)generator["name"]!;
        var behavior = (string?)generator["behavior"] ?? "create";
        var existing = resources.FirstOrDefault(r => r.Generated && r.Kind == kind && r.Name == name);
        var data = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            data[key] = value;
        }

        switch (behavior)
        {
            case "create" when existing is null:
                var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name } };
                node["data"] = data;
                if (kind == "Secret")
                {
                    node["type"] = "Opaque";
                }

                resources.Add(new Resource(node, generated: true));
                break;
            case "merge" when existing is not null:
                var target = (JsonObject)existing.Node["data"]!;
                foreach (var (key, value) in data)
                {
                    target[key] = value?.DeepClone();
                }

                break;
            case "replace" when existing is not null:
                existing.Node["data"] = data;
                break;
            default:
                throw new InvalidDataException($"{kind} generator '{name}' with behavior '{behavior}' does not fit what is already generated.");
        }
    }

    private static void ApplyPatch(List<Resource> resources, JsonObject patch, string source)
    {
        var kind = (string?)patch["kind"];
        var name = (string?)patch["metadata"]?["name"];
        var target = resources.SingleOrDefault(r => r.Kind == kind && r.Name == name)
            ?? throw new InvalidDataException($"{source}: the patch's target {kind}/{name} is not among the resources.");
        if ((string?)patch["$patch"] == "delete")
        {
            resources.Remove(target);
            return;
        }

        StrategicMergePatch.Apply(target.Node, patch);
    }

    private static void RewriteImages(JsonNode? node, JsonObject image)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key is "containers" or "initContainers" && value is JsonArray containers)
                    {
                        foreach (var container in containers.OfType<JsonObject>())
                        {
                            container["image"] = RewriteImage((string?)container["image"] ?? string.Empty, image);
                        }
                    }
                    else
                    {
                        RewriteImages(value, image);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteImages(item, image);
                }

                break;
        }
    }

    private static string RewriteImage(string reference, JsonObject image)
    {
        var (name, tag, digest) = ImageReference.Parse(reference);
        if (name != (string)image["name"]!)
        {
            return reference;
        }

        name = (string?)image["newName"] ?? name;
        if ((string?)image["digest"] is { } newDigest)
        {
            return name + "@" + newDigest;
        }

        if ((string?)image["newTag"] is { } newTag)
        {
            return name + ":" + newTag;
        }

        return name + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);
    }

    /// <summary>Appends the content hash to every generated name and rewrites the references to it.</summary>
    private static void ApplyNameHashes(List<Resource> resources)
    {
        var renames = new Dictionary<(string Kind, string Name), string>();
        foreach (var resource in resources.Where(static r => r.Generated))
        {
            var hashed = resource.Name + "-" + GeneratorHash.Compute(resource.Node);
            renames[(resource.Kind, resource.Name)] = hashed;
            resource.Node["metadata"]!["name"] = hashed;
        }

        foreach (var resource in resources.Where(static r => !r.Generated))
        {
            RewriteReferences(resource.Node, renames);
        }
    }

    private static void RewriteReferences(JsonNode? node, Dictionary<(string Kind, string Name), string> renames)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var (kind, field) = key switch
                    {
                        "configMapRef" or "configMapKeyRef" or "configMap" => ("ConfigMap", "name"),
                        "secretRef" or "secretKeyRef" => ("Secret", "name"),
                        "secret" => ("Secret", "secretName"),
                        _ => (null, null),
                    };
                    if (kind is not null && value is JsonObject reference && (string?)reference[field!] is { } name
                        && renames.TryGetValue((kind, name), out var renamed))
                    {
                        reference[field!] = renamed;
                    }
                    else
                    {
                        RewriteReferences(value, renames);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteReferences(item, renames);
                }

                break;
        }
    }
}
