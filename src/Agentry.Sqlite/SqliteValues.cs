using System.Globalization;
using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Runs;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

/// <summary>Conversions between domain values and their column representations.</summary>
internal static class SqliteValues
{
    public static long Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static object Time(DateTimeOffset? time) => time is { } value ? value.ToUnixTimeMilliseconds() : DBNull.Value;

    /// <summary>A time as the store keeps it: UTC, whole milliseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    public static DateTimeOffset? Truncate(DateTimeOffset? time) => time is { } value ? Truncate(value) : null;

    public static object Nullable(object? value) => value ?? DBNull.Value;

    public static string Json(JsonElement element) => element.GetRawText();

    public static object Json(JsonElement? element) => element is { } value ? value.GetRawText() : DBNull.Value;

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, AgentryJson.Options);

    public static string Cost(decimal cost) => cost.ToString(CultureInfo.InvariantCulture);

    public static string Status(RunStatus status) => status.ToApiName();

    public static string ResultTypeName(ResultType type) => type switch
    {
        ResultType.Document => "document",
        ResultType.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static RunStatus ParseStatus(string value) =>
        RunStatusExtensions.TryParseApiName(value, out var status)
            ? status
            : throw new InvalidDataException($"Unknown run status '{value}' in the database.");

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetNullableTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static JsonElement GetJson(this SqliteDataReader reader, int ordinal) => AgentryJson.Parse(reader.GetString(ordinal));

    public static JsonElement? GetNullableJson(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : AgentryJson.Parse(reader.GetString(ordinal));

    public static T GetJson<T>(this SqliteDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize<T>(reader.GetString(ordinal), AgentryJson.Options)
        ?? throw new InvalidDataException($"Column {reader.GetName(ordinal)} holds JSON null where a value is required.");

    public static ResultType ParseResultType(string value) => value switch
    {
        "document" => ResultType.Document,
        "json" => ResultType.Json,
        _ => throw new InvalidDataException($"Unknown result type '{value}' in the database."),
    };
}
