using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Routing;

/// <summary>Writes <see cref="RouteParams"/> as Next.js's params object and reads it back.</summary>
public sealed class RouteParamsJsonConverter : JsonConverter<RouteParams>
{
    /// <inheritdoc />
    public override RouteParams Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Route params must be a JSON object.");
        }

        var values = new List<(string, object)>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString() ?? throw new JsonException("A param name is null.");
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add((name, reader.GetString()!));
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"The value of param '{name}' must be a string or an array of strings.");
            }

            var segments = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                segments.Add(reader.GetString() ?? throw new JsonException($"A segment of param '{name}' is null."));
            }

            values.Add((name, segments.ToArray()));
        }

        return RouteParams.Of([.. values]);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RouteParams value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, raw) in value)
        {
            if (raw is string single)
            {
                writer.WriteString(name, single);
                continue;
            }

            writer.WriteStartArray(name);
            foreach (var segment in (string[])raw)
            {
                writer.WriteStringValue(segment);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
