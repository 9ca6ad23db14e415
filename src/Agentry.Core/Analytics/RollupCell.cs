using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Agentry.Core.Runs;

namespace Agentry.Core.Analytics;

/// <summary>
/// What the finished runs of one rollup slot (organization, agent, revision, model, 15 minutes of creation time)
/// add up to: counts by status and error code, duration and queue-wait histograms, tokens, cost, tool calls by tool
/// and feedback by key. Cells merge by adding, so a range's figures are the sum of its cells. A run counts in the
/// slot of its <see cref="Run.CreatedAt"/>, like the run list's <c>createdAfter</c>/<c>createdBefore</c> filters, and
/// only once it has ended; its feedback counts in the same cell.
/// </summary>
public sealed class RollupCell
{
    private const byte FormatVersion = 1;

    /// <summary>Runs that ended <c>done</c>.</summary>
    public long Done { get; private set; }

    /// <summary>Runs that ended <c>error</c>.</summary>
    public long Error { get; private set; }

    /// <summary>Errored runs by error code.</summary>
    public Dictionary<string, long> ErrorCodes { get; } = new(StringComparer.Ordinal);

    /// <summary>Run durations (<c>completedAt − startedAt</c>) of runs that started.</summary>
    public LatencyHistogram Duration { get; } = new();

    /// <summary>Queue waits (<c>startedAt − createdAt</c>) of runs that started.</summary>
    public LatencyHistogram QueueWait { get; } = new();

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public decimal CostUsd { get; private set; }

    /// <summary>Tool calls and failed tool calls by tool name.</summary>
    public Dictionary<string, ToolCallCounts> ToolCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>Feedback scores by key: how many runs have one, and their sum.</summary>
    public Dictionary<string, FeedbackSum> Feedback { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts one finished run and its tool calls.</summary>
    public void AddRun(Run run, IEnumerable<ToolCallOutcome> toolCalls)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(toolCalls);
        if (!run.IsTerminal)
        {
            throw new ArgumentException($"Run {run.Id} has not ended; only finished runs are rolled up.", nameof(run));
        }

        if (run.Status == RunStatus.Done)
        {
            Done++;
        }
        else
        {
            Error++;
            var code = run.Error?.Code ?? RunErrorCodes.Internal;
            ErrorCodes[code] = ErrorCodes.GetValueOrDefault(code) + 1;
        }

        if (run.StartedAt is { } started)
        {
            QueueWait.Add((long)(started - run.CreatedAt).TotalMilliseconds);
            if (run.CompletedAt is { } completed)
            {
                Duration.Add((long)(completed - started).TotalMilliseconds);
            }
        }

        InputTokens += run.Usage.InputTokens;
        OutputTokens += run.Usage.OutputTokens;
        CostUsd += run.Usage.CostUsd;
        foreach (var call in toolCalls)
        {
            var counts = ToolCalls.GetValueOrDefault(call.Name);
            ToolCalls[call.Name] = new ToolCallCounts(counts.Calls + 1, counts.Errors + (call.Failed ? 1 : 0));
        }
    }

    /// <summary>Records a feedback score: <paramref name="previous"/> is the score it replaces for the same run and key, if any.</summary>
    public void SetFeedback(string key, double score, double? previous)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sum = Feedback.GetValueOrDefault(key);
        Feedback[key] = previous is { } old
            ? new FeedbackSum(sum.Count, sum.Sum - old + score)
            : new FeedbackSum(sum.Count + 1, sum.Sum + score);
    }

    /// <summary>Adds every figure of <paramref name="other"/> to this cell.</summary>
    public void Merge(RollupCell other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Done += other.Done;
        Error += other.Error;
        foreach (var (code, count) in other.ErrorCodes)
        {
            ErrorCodes[code] = ErrorCodes.GetValueOrDefault(code) + count;
        }

        Duration.Merge(other.Duration);
        QueueWait.Merge(other.QueueWait);
        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        CostUsd += other.CostUsd;
        foreach (var (tool, counts) in other.ToolCalls)
        {
            var mine = ToolCalls.GetValueOrDefault(tool);
            ToolCalls[tool] = new ToolCallCounts(mine.Calls + counts.Calls, mine.Errors + counts.Errors);
        }

        foreach (var (key, sum) in other.Feedback)
        {
            var mine = Feedback.GetValueOrDefault(key);
            Feedback[key] = new FeedbackSum(mine.Count + sum.Count, mine.Sum + sum.Sum);
        }
    }

    /// <summary>The cell as bytes, for storage.</summary>
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write7BitEncodedInt64(Done);
            writer.Write7BitEncodedInt64(Error);
            writer.Write7BitEncodedInt(ErrorCodes.Count);
            foreach (var (code, count) in ErrorCodes)
            {
                writer.Write(code);
                writer.Write7BitEncodedInt64(count);
            }

            Duration.WriteTo(writer);
            QueueWait.WriteTo(writer);
            writer.Write7BitEncodedInt64(InputTokens);
            writer.Write7BitEncodedInt64(OutputTokens);
            writer.Write(CostUsd);
            writer.Write7BitEncodedInt(ToolCalls.Count);
            foreach (var (tool, counts) in ToolCalls)
            {
                writer.Write(tool);
                writer.Write7BitEncodedInt64(counts.Calls);
                writer.Write7BitEncodedInt64(counts.Errors);
            }

            writer.Write7BitEncodedInt(Feedback.Count);
            foreach (var (key, sum) in Feedback)
            {
                writer.Write(key);
                writer.Write7BitEncodedInt64(sum.Count);
                writer.Write(sum.Sum);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads what <see cref="Encode"/> wrote.</summary>
    public static RollupCell Decode(ReadOnlySpan<byte> bytes)
    {
        var cell = new RollupCell();
        cell.MergeEncoded(bytes);
        return cell;
    }

    /// <summary>
    /// Adds the cell that <see cref="Encode"/> wrote to this one, straight from its bytes: queries merge thousands of
    /// cells, and reading each into its own object first would double their cost.
    /// </summary>
    public void MergeEncoded(ReadOnlySpan<byte> bytes)
    {
        var reader = new CellReader(bytes);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"A rollup cell has format {version}; this Agentry reads {FormatVersion}. Rebuild the rollups.");
        }

        Done += reader.ReadInt64();
        Error += reader.ReadInt64();
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var code = reader.ReadString();
            ErrorCodes[code] = ErrorCodes.GetValueOrDefault(code) + reader.ReadInt64();
        }

        Duration.MergeEncoded(ref reader);
        QueueWait.MergeEncoded(ref reader);
        InputTokens += reader.ReadInt64();
        OutputTokens += reader.ReadInt64();
        CostUsd += reader.ReadDecimal();
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var tool = reader.ReadString();
            var mine = ToolCalls.GetValueOrDefault(tool);
            ToolCalls[tool] = new ToolCallCounts(mine.Calls + reader.ReadInt64(), mine.Errors + reader.ReadInt64());
        }

        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var key = reader.ReadString();
            var mine = Feedback.GetValueOrDefault(key);
            Feedback[key] = new FeedbackSum(mine.Count + reader.ReadInt64(), mine.Sum + reader.ReadDouble());
        }
    }
}

/// <summary>Reads the <see cref="BinaryWriter"/> encoding of a rollup cell from a span, without a stream.</summary>
internal ref struct CellReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public byte ReadByte() => _bytes[_position++];

    public long ReadInt64()
    {
        // 7-bit groups, least significant first, high bit set while more follow (BinaryWriter.Write7BitEncodedInt64).
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var part = _bytes[_position++];
            value |= (ulong)(part & 0x7F) << shift;
            if ((part & 0x80) == 0)
            {
                return (long)value;
            }
        }

        throw new InvalidDataException("A rollup cell holds a malformed number.");
    }

    public int ReadInt32() => checked((int)ReadInt64());

    public string ReadString()
    {
        var length = ReadInt32();
        var text = Encoding.UTF8.GetString(_bytes.Slice(_position, length));
        _position += length;
        return text;
    }

    public decimal ReadDecimal()
    {
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(_bytes.Slice(_position + (i * 4), 4));
        }

        _position += 16;
        return new decimal(bits);
    }

    public double ReadDouble()
    {
        var value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes.Slice(_position, 8));
        _position += 8;
        return value;
    }
}

/// <summary>Calls of one tool and how many of them failed.</summary>
public readonly record struct ToolCallCounts(long Calls, long Errors);

/// <summary>How many runs have a score for a feedback key, and the sum of those scores.</summary>
public readonly record struct FeedbackSum(long Count, double Sum);

/// <summary>One tool call of a run as analytics sees it: the tool, and whether it failed.</summary>
public readonly record struct ToolCallOutcome(string Name, bool Failed)
{
    /// <summary>The outcome recorded in a <c>tool_call</c> event's data (<c>{id, name, input, output?, error?}</c>).</summary>
    public static ToolCallOutcome FromEventData(JsonElement data)
    {
        var name = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()!
            : "unknown";
        var failed = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null;
        return new ToolCallOutcome(name, failed);
    }
}

/// <summary>Where a finished run's figures are rolled up.</summary>
/// <param name="OrganizationId">The run's organization.</param>
/// <param name="AgentId">The run's agent.</param>
/// <param name="RevisionId">The run's revision.</param>
/// <param name="Model">The run's model; empty when it never called one.</param>
/// <param name="Slot">The start of the 15-minute slot of the run's creation.</param>
public sealed record RollupKey(string OrganizationId, string AgentId, string RevisionId, string Model, DateTimeOffset Slot)
{
    /// <summary>The length of a rollup slot: every time zone in use today is a whole number of them off UTC.</summary>
    public static readonly TimeSpan SlotLength = TimeSpan.FromMinutes(15);

    /// <summary>The key of <paramref name="run"/>.</summary>
    public static RollupKey Of(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.OrganizationId, run.AgentId, run.RevisionId, run.Model ?? string.Empty, SlotOf(run.CreatedAt));
    }

    /// <summary>The start of the slot holding <paramref name="time"/>.</summary>
    public static DateTimeOffset SlotOf(DateTimeOffset time)
    {
        var ms = time.ToUnixTimeMilliseconds();
        var slotMs = (long)SlotLength.TotalMilliseconds;
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((ms % slotMs) + slotMs) % slotMs));
    }
}
