using System.Globalization;
using Agentry.Core.Common;

namespace Agentry.Core.Analytics;

/// <summary>The size of an analytics time bucket.</summary>
public enum AnalyticsBucket
{
    /// <summary>An hour of local time (shorter or longer when a zone's offset changes inside it).</summary>
    Hour,

    /// <summary>A local calendar day, from midnight to midnight (23 or 25 hours across a DST change).</summary>
    Day,
}

/// <summary>The query parameters of an analytics request as they came in: <c>from</c>, <c>to</c>, <c>bucket</c>, <c>tz</c>.</summary>
public sealed record AnalyticsParameters(string? From, string? To, string? Bucket, string? TimeZone);

/// <summary>
/// The validated time range of an analytics request and its buckets. <see cref="From"/> is moved back to the start of
/// its bucket and <see cref="To"/> forward to the end of its bucket in the time zone, so every bucket of the series is
/// whole; the response states the range it covers. Bucket boundaries fall on 15-minute slots of UTC (true of every
/// zone in use today), so rollup cells fall wholly inside one bucket and every figure is exact.
/// </summary>
public sealed record AnalyticsRange(DateTimeOffset From, DateTimeOffset To, AnalyticsBucket Bucket, TimeZoneInfo TimeZone, IReadOnlyList<DateTimeOffset> Boundaries)
{
    /// <summary>The most buckets a series may hold.</summary>
    public const int MaxBuckets = 1000;

    /// <summary>The range when <c>from</c> is absent: this long before <c>to</c>.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(7);

    private static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The API name of <see cref="Bucket"/>.</summary>
    public string BucketName => Bucket == AnalyticsBucket.Hour ? "hour" : "day";

    /// <summary>
    /// Validates <paramref name="parameters"/>: <c>from</c>/<c>to</c> ISO-8601 times (defaults: <c>to</c> = now,
    /// <c>from</c> = 7 days before <c>to</c>), <c>from</c> before <c>to</c>; <c>bucket</c> <c>hour</c> or <c>day</c>
    /// (default <c>day</c>); <c>tz</c> an IANA time zone (default <c>UTC</c>); at most <see cref="MaxBuckets"/> buckets.
    /// </summary>
    /// <exception cref="ProblemException">400 naming every parameter that is wrong.</exception>
    public static AnalyticsRange Parse(AnalyticsParameters parameters, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<FieldError>();
        var to = ParseTime("to", parameters.To, errors) ?? now;
        var from = ParseTime("from", parameters.From, errors) ?? to - DefaultLength;
        var bucket = parameters.Bucket switch
        {
            null or "" or "day" => AnalyticsBucket.Day,
            "hour" => AnalyticsBucket.Hour,
            _ => Add(errors, AnalyticsBucket.Day, "bucket", "enum", $"The query parameter 'bucket' must be hour or day, not '{parameters.Bucket}'."),
        };
        var zone = ParseZone(parameters.TimeZone, errors);
        if (errors.Count == 0 && from >= to)
        {
            errors.Add(new FieldError("from", "range", $"The query parameter 'from' ({AgentryJson.FormatTime(from)}) must be before 'to' ({AgentryJson.FormatTime(to)})."));
        }

        var length = bucket == AnalyticsBucket.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        if (errors.Count == 0 && (to - from) / length > MaxBuckets - 1)
        {
            errors.Add(new FieldError(
                "bucket",
                "maxItems",
                $"From {AgentryJson.FormatTime(from)} to {AgentryJson.FormatTime(to)} holds more than {MaxBuckets} {(bucket == AnalyticsBucket.Hour ? "hours" : "days")}; use a shorter range{(bucket == AnalyticsBucket.Hour ? " or bucket=day" : string.Empty)}."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.BadRequest(string.Join(" ", errors.Select(static e => e.Message)), errors);
        }

        var boundaries = new List<DateTimeOffset> { StartOf(from, bucket, zone!) };
        while (boundaries[^1] < to)
        {
            boundaries.Add(Next(boundaries[^1], bucket, zone!));
        }

        var slotMs = (long)RollupKey.SlotLength.TotalMilliseconds;
        foreach (var boundary in boundaries)
        {
            if (boundary.ToUnixTimeMilliseconds() % slotMs != 0)
            {
                throw ProblemException.BadRequest(
                    $"The time zone '{zone!.Id}' has a bucket starting at {AgentryJson.FormatTime(boundary)}, not on a 15-minute boundary of UTC (a historical local mean time); choose a later range or another zone.",
                    [new FieldError("tz", "format", "has an offset that is not a multiple of 15 minutes in this range")]);
            }
        }

        return new AnalyticsRange(boundaries[0], boundaries[^1], bucket, zone!, boundaries);
    }

    /// <summary>The index of the bucket holding <paramref name="time"/> (which must lie in the range).</summary>
    public int BucketIndexOf(DateTimeOffset time)
    {
        // The last boundary at or before the time; the final boundary is the range's end, which holds no bucket.
        var (low, high) = (0, Boundaries.Count - 2);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Boundaries[middle] <= time)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    /// <summary>The start of the bucket holding <paramref name="time"/>.</summary>
    private static DateTimeOffset StartOf(DateTimeOffset time, AnalyticsBucket bucket, TimeZoneInfo zone)
    {
        if (bucket == AnalyticsBucket.Hour)
        {
            var ms = time.ToUnixTimeMilliseconds();
            var local = ms + (long)zone.GetUtcOffset(time).TotalMilliseconds;
            return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((local % 3_600_000) + 3_600_000) % 3_600_000));
        }

        return StartOfLocalDay(TimeZoneInfo.ConvertTime(time, zone).Date, zone);
    }

    private static DateTimeOffset Next(DateTimeOffset start, AnalyticsBucket bucket, TimeZoneInfo zone) =>
        bucket == AnalyticsBucket.Hour
            ? StartOf(start + TimeSpan.FromHours(1), bucket, zone)
            : StartOfLocalDay(TimeZoneInfo.ConvertTime(start, zone).Date.AddDays(1), zone);

    // The first instant of a local date: midnight, or the first valid time after it where a change skips midnight;
    // an ambiguous midnight is the earlier of its two instants.
    private static DateTimeOffset StartOfLocalDay(DateTime date, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(date, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static DateTimeOffset? ParseTime(string name, string? value, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return Add<DateTimeOffset?>(errors, null, name, "format", $"The query parameter '{name}' must be an ISO-8601 time such as 2026-01-31T00:00:00Z, not '{value}'.");
        }

        return time < Earliest || time >= Latest
            ? Add<DateTimeOffset?>(errors, null, name, "range", $"The query parameter '{name}' must be between 1970 and 3000, not '{value}'.")
            : time.ToUniversalTime();
    }

    private static TimeZoneInfo? ParseZone(string? id, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(id))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : Add<TimeZoneInfo?>(errors, null, "tz", "format", $"The query parameter 'tz' must be an IANA time zone such as Europe/Paris, not '{id}'.");
    }

    private static T Add<T>(List<FieldError> errors, T fallback, string name, string keyword, string message)
    {
        errors.Add(new FieldError(name, keyword, message));
        return fallback;
    }
}
