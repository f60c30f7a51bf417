using System.Globalization;
using System.Text;

namespace Cluster.TestSupport;

/// <summary>
/// A strict reader of the text exposition format 0.0.4, for tests: every line is blank, a comment or a sample; every
/// sample belongs to a family declared before it with exactly one HELP and one TYPE; histogram buckets are cumulative,
/// end with <c>le="+Inf"</c>, and that bucket equals <c>_count</c>. Anything else throws <see cref="FormatException"/>.
/// </summary>
public static class PrometheusTextParser
{
    public static Dictionary<string, ParsedFamily> Parse(string text)
    {
        var families = new Dictionary<string, ParsedFamily>(StringComparer.Ordinal);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a newline.");
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                ParseComment(line, families);
                continue;
            }

            var sample = ParseSample(line);
            var family = FamilyOf(sample.Name, families)
                ?? throw new FormatException($"Sample '{line}' has no family declared before it.");
            if (family.Help is null || family.Type is null)
            {
                throw new FormatException($"Family '{family.Name}' lacks HELP or TYPE.");
            }

            family.Samples.Add(sample);
        }

        foreach (var family in families.Values)
        {
            if (family.Type is null || family.Help is null)
            {
                throw new FormatException($"Family '{family.Name}' lacks HELP or TYPE.");
            }

            if (family.Type == "histogram")
            {
                CheckHistogram(family);
            }
        }

        return families;
    }

    /// <summary>The value of the sample with exactly these labels (throws when there is none).</summary>
    public static double Value(this Dictionary<string, ParsedFamily> families, string family, string sample, params (string Name, string Value)[] labels)
    {
        var matches = families[family].Samples.Where(s => s.Name == sample && SameLabels(s.Labels, labels)).ToList();
        return matches.Count == 1
            ? matches[0].Value
            : throw new InvalidOperationException(
                $"{matches.Count} samples {sample}{{{string.Join(",", labels.Select(static l => $"{l.Name}=\"{l.Value}\""))}}} in family {family}.");
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> actual, (string Name, string Value)[] expected)
        => actual.Count == expected.Length && expected.All(e => actual.TryGetValue(e.Name, out var v) && v == e.Value);

    private static ParsedFamily? FamilyOf(string sampleName, Dictionary<string, ParsedFamily> families)
    {
        if (families.TryGetValue(sampleName, out var family) && family.Type != "histogram")
        {
            return family;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && families.TryGetValue(sampleName[..^suffix.Length], out var histogram)
                && histogram.Type == "histogram")
            {
                return histogram;
            }
        }

        return null;
    }

    private static void ParseComment(string line, Dictionary<string, ParsedFamily> families)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || parts[0] != "#" || (parts[1] != "HELP" && parts[1] != "TYPE"))
        {
            return;
        }

        var name = parts[2];
        CheckMetricName(name);
        if (!families.TryGetValue(name, out var family))
        {
            family = new ParsedFamily(name);
            families.Add(name, family);
        }
        else if (family.Samples.Count > 0)
        {
            throw new FormatException($"'{line}' comes after samples of its family.");
        }

        var rest = parts.Length == 4 ? parts[3] : string.Empty;
        if (parts[1] == "HELP")
        {
            if (family.Help is not null)
            {
                throw new FormatException($"Second HELP for '{name}'.");
            }

            family.Help = Unescape(rest, allowQuote: false);
        }
        else
        {
            if (family.Type is not null)
            {
                throw new FormatException($"Second TYPE for '{name}'.");
            }

            if (rest is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
            {
                throw new FormatException($"Unknown TYPE '{rest}'.");
            }

            family.Type = rest;
        }
    }

    private static ParsedSample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        CheckMetricName(name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                CheckLabelName(label);
                if (line[i + 1] != '"')
                {
                    throw new FormatException($"Label value not quoted in '{line}'.");
                }

                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        value.Append(line[i + 1] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"Bad escape in '{line}'."),
                        });
                        i += 2;
                    }
                    else
                    {
                        value.Append(line[i]);
                        i++;
                    }
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"Duplicate label '{label}' in '{line}'.");
                }

                i++;
                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException($"Expected ',' or '}}' in '{line}'.");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException($"Expected one space before the value in '{line}'.");
        }

        return new ParsedSample(name, labels, ParseValue(line[(i + 1)..]));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new FormatException($"Bad value '{text}'."),
    };

    private static ParsedSample Single(IEnumerable<ParsedSample> series, string name)
    {
        var matches = series.Where(s => s.Name == name).ToList();
        return matches.Count == 1 ? matches[0] : throw new FormatException($"A histogram series has {matches.Count} '{name}' samples.");
    }

    private static void CheckHistogram(ParsedFamily family)
    {
        foreach (var series in family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal))))
        {
            var buckets = series.Where(s => s.Name == family.Name + "_bucket").ToList();
            var count = Single(series, family.Name + "_count").Value;
            Single(series, family.Name + "_sum");
            if (buckets.Count == 0 || buckets[^1].Labels["le"] != "+Inf")
            {
                throw new FormatException($"Histogram '{family.Name}' does not end with le=\"+Inf\".");
            }

            for (var i = 1; i < buckets.Count; i++)
            {
                if (buckets[i].Value < buckets[i - 1].Value || ParseValue(buckets[i].Labels["le"]) <= ParseValue(buckets[i - 1].Labels["le"]))
                {
                    throw new FormatException($"Histogram '{family.Name}' buckets are not cumulative and ascending.");
                }
            }

            if (buckets[^1].Value != count)
            {
                throw new FormatException($"Histogram '{family.Name}': +Inf bucket {buckets[^1].Value} != count {count}.");
            }
        }
    }

    private static void CheckMetricName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"Bad metric name '{name}'.");
        }
    }

    private static void CheckLabelName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new FormatException($"Bad label name '{name}'.");
        }
    }

    private static string Unescape(string text, bool allowQuote)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                builder.Append(text[i]);
                continue;
            }

            i++;
            builder.Append(text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when allowQuote => '"',
                _ => throw new FormatException($"Bad escape in '{text}'."),
            });
        }

        return builder.ToString();
    }
}
