using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership.Postgres;

/// <summary>
/// The <c>suspect_times</c> column: a JSON array of <c>{"voter":"host:port@generation","time":"…"}</c>, oldest first.
/// Written and read by hand (no reflection) so the format is fixed here and readable with <c>jsonb</c> operators.
/// </summary>
internal static class SuspectTimesJson
{
    private const string VoterProperty = "voter";
    private const string TimeProperty = "time";

    public static string Write(ImmutableArray<SuspectVote> votes)
    {
        if (votes.IsDefaultOrEmpty)
        {
            return "[]";
        }

        var buffer = new ArrayBufferWriter<byte>(64 * votes.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var vote in votes)
            {
                writer.WriteStartObject();
                writer.WriteString(VoterProperty, vote.Voter.ToString());

                // ISO 8601 with the offset at UTC: the round-trip form, 100 ns precision.
                writer.WriteString(TimeProperty, vote.Time.ToUniversalTime());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="FormatException">The column does not hold an array of votes.</exception>
    public static ImmutableArray<SuspectVote> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("The suspect_times column does not hold a JSON array.");
        }

        var length = root.GetArrayLength();
        if (length == 0)
        {
            return [];
        }

        var votes = ImmutableArray.CreateBuilder<SuspectVote>(length);
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty(VoterProperty, out var voterElement)
                || !item.TryGetProperty(TimeProperty, out var timeElement)
                || voterElement.ValueKind != JsonValueKind.String
                || timeElement.ValueKind != JsonValueKind.String
                || !SiloAddress.TryParse(voterElement.GetString(), out var voter)
                || !timeElement.TryGetDateTimeOffset(out var time))
            {
                throw new FormatException($"The suspect_times column holds an invalid vote: {item.GetRawText()}");
            }

            votes.Add(new SuspectVote(voter, time));
        }

        return votes.MoveToImmutable();
    }
}
