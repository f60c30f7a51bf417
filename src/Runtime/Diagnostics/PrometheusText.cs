using System.Globalization;
using System.Text;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4, and turns OpenTelemetry names, units and tags into Prometheus
/// names and labels (after OpenTelemetry's Prometheus compatibility rules: illegal characters become <c>_</c>, the unit
/// becomes a suffix, counters end in <c>_total</c>).
/// </summary>
internal sealed class PrometheusText
{
    private readonly StringBuilder _builder = new(4096);

    public override string ToString() => _builder.ToString();

    /// <summary>Where the next family starts, to drop it again with <see cref="Truncate"/> when it had no sample.</summary>
    public int Position => _builder.Length;

    public void Truncate(int position) => _builder.Length = position;

    public void WriteFamilyHeader(string name, string type, string? help)
    {
        _builder.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(_builder, help ?? string.Empty, escapeQuote: false);
        _builder.Append('\n');
        _builder.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes <c>name{labels} </c>; the caller then writes the value, which ends the line.</summary>
    public void WriteSampleStart(string name, string? suffix, string labels, string? extraLabel = null, string? extraValue = null)
    {
        _builder.Append(name).Append(suffix);
        var hasExtra = extraLabel is not null;
        if (labels.Length > 0 || hasExtra)
        {
            _builder.Append('{').Append(labels);
            if (hasExtra)
            {
                if (labels.Length > 0)
                {
                    _builder.Append(',');
                }

                _builder.Append(extraLabel).Append("=\"");
                AppendEscaped(_builder, extraValue ?? string.Empty, escapeQuote: true);
                _builder.Append('"');
            }

            _builder.Append('}');
        }

        _builder.Append(' ');
    }

    public void Write(long value) => _builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    public void Write(double value) => _builder.Append(FormatDouble(value)).Append('\n');

    public static string FormatDouble(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        return double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The Prometheus name of an instrument: the sanitised name, then the unit as a suffix (<c>s</c> → <c>_seconds</c>,
    /// <c>By</c> → <c>_bytes</c>, annotations such as <c>{request}</c> dropped), then <c>_total</c> for counters.
    /// </summary>
    public static string MetricName(string name, string? unit, bool isCounter)
    {
        var result = SanitizeMetricName(name);
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !result.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            result += "_" + suffix;
        }

        if (isCounter && !result.EndsWith("_total", StringComparison.Ordinal))
        {
            result += "_total";
        }

        return result;
    }

    /// <summary>Replaces every character outside <c>[a-zA-Z0-9_:]</c> with <c>_</c>, collapses runs of <c>_</c>, and
    /// prefixes <c>_</c> to a leading digit.</summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true, collapse: true);

    /// <summary>Replaces every character outside <c>[a-zA-Z0-9_]</c> with <c>_</c> and prefixes <c>_</c> to a leading digit.</summary>
    public static string SanitizeLabelName(string name) => Sanitize(name, allowColon: false, collapse: false);

    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return UnitWord(unit);
        }

        var numerator = UnitWord(unit[..slash]);
        var denominator = PerUnitWord(unit[(slash + 1)..]);
        if (denominator.Length == 0)
        {
            return numerator;
        }

        return numerator.Length == 0 ? "per_" + denominator : numerator + "_per_" + denominator;
    }

    /// <summary>Label pairs without braces, in the tag set's (sorted) order: <c>a="1",b="2"</c>.</summary>
    public static string FormatLabels(KeyValuePair<string, object?>[] tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var tag in tags)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(SanitizeLabelName(tag.Key)).Append("=\"");
            AppendEscaped(builder, FormatTagValue(tag.Value), escapeQuote: true);
            builder.Append('"');
        }

        return builder.ToString();
    }

    public static string FormatTagValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string UnitWord(string unit) => unit switch
    {
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "min" => "minutes",
        "h" => "hours",
        "d" => "days",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "bit" => "bits",
        "Hz" => "hertz",
        "%" => "percent",
        "1" => string.Empty,
        _ when unit.StartsWith('{') => string.Empty,
        _ => Sanitize(unit, allowColon: false, collapse: true).Trim('_'),
    };

    private static string PerUnitWord(string unit) => unit switch
    {
        "s" => "second",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => UnitWord(unit),
    };

    private static string Sanitize(string name, bool allowColon, bool collapse)
    {
        var builder = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            var legal = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = legal ? c : '_';
            if (collapse && next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        return builder.ToString();
    }

    private static void AppendEscaped(StringBuilder builder, string value, bool escapeQuote)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '"' when escapeQuote:
                    builder.Append("\\\"");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}
