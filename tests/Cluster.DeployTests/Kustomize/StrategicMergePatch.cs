namespace Cluster.DeployTests.Kustomize;

/// <summary>
/// The strategic-merge-patch subset the manifests use: maps merge recursively, <c>null</c> deletes a field, lists of
/// containers, env vars, ports, volumes and volume mounts merge by their Kubernetes merge keys, other lists are replaced.
/// </summary>
internal static class StrategicMergePatch
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, patchValue) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            if (patchValue is null)
            {
                target.Remove(key);
            }
            else if (patchValue is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject);
            }
            else if (patchValue is JsonArray patchArray && target[key] is JsonArray targetArray
                     && MergeKey(key, patchArray) is { } mergeKey)
            {
                MergeList(targetArray, patchArray, mergeKey);
            }
            else
            {
                target[key] = patchValue.DeepClone();
            }
        }
    }

    private static string? MergeKey(string listName, JsonArray items) => listName switch
    {
        "containers" or "initContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        // Container ports merge by containerPort, a Service's by port.
        "ports" => items.FirstOrDefault() is JsonObject first && first.ContainsKey("containerPort") ? "containerPort" : "port",
        _ => null,
    };

    private static void MergeList(JsonArray target, JsonArray patch, string mergeKey)
    {
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem || patchItem[mergeKey] is not { } key)
            {
                throw new InvalidDataException($"A patch item of a list merged by '{mergeKey}' has no '{mergeKey}'.");
            }

            var existing = target.OfType<JsonObject>().FirstOrDefault(t => JsonNode.DeepEquals(t[mergeKey], key));
            if ((string?)patchItem["$patch"] == "delete")
            {
                if (existing is not null)
                {
                    target.Remove(existing);
                }
            }
            else if (existing is null)
            {
                target.Add(patchItem.DeepClone());
            }
            else
            {
                Apply(existing, patchItem);
            }
        }
    }
}
