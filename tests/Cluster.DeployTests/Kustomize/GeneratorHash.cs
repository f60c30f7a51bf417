using System.Security.Cryptography;
using System.Text;

namespace Cluster.DeployTests.Kustomize;

/// <summary>
/// The content hash kustomize appends to a generated ConfigMap's or Secret's name: SHA-256 of a JSON object with sorted
/// keys (<c>data</c>, <c>kind</c>, an empty <c>name</c>, and <c>type</c> for a Secret; Go's HTML-safe escaping), the
/// first 10 hex digits with 0, 1, 3, a and e replaced by g, h, k, m and t.
/// </summary>
internal static class GeneratorHash
{
    public static string Compute(JsonObject resource)
    {
        var kind = (string)resource["kind"]!;
        var json = new StringBuilder("{");
        json.Append("\"data\":{");
        var data = (resource["data"] as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < data.Count; i++)
        {
            json.Append(i == 0 ? "" : ",");
            AppendString(json, data[i].Key);
            json.Append(':');
            AppendString(json, (string?)data[i].Value ?? string.Empty);
        }

        json.Append("},\"kind\":");
        AppendString(json, kind);
        json.Append(",\"name\":\"\"");
        if (kind == "Secret")
        {
            json.Append(",\"type\":");
            AppendString(json, (string?)resource["type"] ?? string.Empty);
        }

        json.Append('}');
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString())));
        return new string(hex[..10].Select(static c => c switch
        {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            _ => c,
        }).ToArray());
    }

    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    json.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }
}
