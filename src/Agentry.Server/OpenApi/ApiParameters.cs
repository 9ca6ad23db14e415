using System.Text.Json.Nodes;
using Agentry.Core.Runs;
using Agentry.Server.Endpoints;
using Agentry.Server.Http;
using Microsoft.OpenApi;

namespace Agentry.Server.OpenApi;

/// <summary>A query or header parameter as the document describes it: where it goes, its schema and what it does.</summary>
/// <param name="Name">The name on the wire.</param>
/// <param name="In">Query or header.</param>
/// <param name="Description">What it does, including its default.</param>
/// <param name="CreateSchema">A fresh schema each time: a document owns its objects.</param>
/// <param name="Required">Whether a request without it is refused.</param>
public sealed record ApiParameter(string Name, ParameterLocation In, string Description, Func<OpenApiSchema> CreateSchema, bool Required = false);

/// <summary>
/// The parameters of the API that are read by hand or bound as strings (so that a bad value gets the API's own 400):
/// their real types and ranges. <see cref="Universal"/> ones replace what the framework infers wherever a handler
/// binds a parameter of that name; the others are named per endpoint with
/// <see cref="ApiDocumentation.WithParameters{TBuilder}(TBuilder, ApiParameter[])"/>.
/// </summary>
public static class ApiParameters
{
    private static readonly string[] RunStatusNames = ["pending", "running", "done", "error"];

    public static readonly ApiParameter Limit = Query("limit", $"How many items one page holds, 1 to {ListQuery.MaxLimit} (default 20).", () => Integer(1, ListQuery.MaxLimit, 20));

    public static readonly ApiParameter Offset = Query("offset", "How many items to skip (default 0).", () => Integer(0, null, 0));

    public static readonly ApiParameter Wait = Query(
        "wait", $"Hold the answer up to this many seconds (0 to {RunEndpoints.MaxWaitSeconds}) until the run ends; default 0, answer at once.", () => Integer(0, RunEndpoints.MaxWaitSeconds, 0));

    public static readonly ApiParameter Status = Query("status", "Only runs with this status.", () => Enum(RunStatusNames));

    public static readonly ApiParameter RunAgentId = Query("agentId", "Only runs of this agent (`agt_…`).", Text);

    public static readonly ApiParameter RunRevisionId = Query("revisionId", "Only runs of this revision (`rev_…`).", Text);

    public static readonly ApiParameter StartRevisionId = Query(
        "revisionId", "The revision to run (`rev_…`); by default the published revision, else the latest.", Text);

    public static readonly ApiParameter RerunRevisionId = Query(
        "revisionId", "Another revision of the same agent to run the input on; by default the original run's revision.", Text);

    public static readonly ApiParameter ErrorCode = Query("errorCode", "Only failed runs with this `error.code`.", () => Enum(RunErrorCodes.All));

    public static readonly ApiParameter CreatedAfter = Query("createdAfter", "Only runs created at or after this time (ISO-8601).", DateTime);

    public static readonly ApiParameter CreatedBefore = Query("createdBefore", "Only runs created before this time (ISO-8601).", DateTime);

    public static readonly ApiParameter Cursor = Query(
        "cursor", "The `nextCursor` of the previous page, passed back unchanged: stable paging over changing data. Not together with `offset`.", Text);

    public static readonly ApiParameter AfterSeq = Query("after", "Only events whose `seq` is greater than this (default 0: from the first).", () => Integer(0, null, 0));

    public static readonly ApiParameter AfterPosition = Query(
        "after", "Resume after this event `position` (the `id:` of a message); `Last-Event-ID` wins when both are sent. Default 0: replay from the start.", () => Integer(0, null, 0));

    public static readonly ApiParameter AfterRunChange = Query(
        "after", "Resume after this cursor (the `id:` of a message), sending each run changed since once; `Last-Event-ID` wins when both are sent. Without one the feed starts from now.", Text);

    public static readonly ApiParameter FeedAgentId = Query("agentId", "Only changes of this agent's runs (`agt_…`).", Text);

    public static readonly ApiParameter DiffFrom = Query("from", "The revision to compare from (`rev_…`).", Text) with { Required = true };

    public static readonly ApiParameter DiffTo = Query("to", "The revision to compare to (`rev_…`).", Text) with { Required = true };

    public static readonly ApiParameter IdempotencyKey = Header(
        "Idempotency-Key", "At most 255 characters. The same key and input within 24 hours answer the same run (200); the same key with another input is 409.", () => Text(maxLength: 255));

    public static readonly ApiParameter LastEventId = Header(
        "Last-Event-ID", "What browsers send on reconnect: resume after this message `id`. Wins over `?after=`.", Text);

    public static readonly ApiParameter DriveSearchQuery = Query(
        "q", "What to look for, in words; files that contain any of them match, those with more and rarer ones rank first.", Text) with { Required = true };

    public static readonly ApiParameter AnalyticsFrom = Query(
        "from", "Start of the range (ISO-8601), widened down to a whole bucket; default 7 days before `to`.", DateTime);

    public static readonly ApiParameter AnalyticsTo = Query("to", "End of the range (ISO-8601, exclusive), widened up to a whole bucket; default now.", DateTime);

    public static readonly ApiParameter AnalyticsBucket = Query("bucket", "The width of each `series` bucket: `hour` or `day` (default `day`).", () => Enum(["hour", "day"]));

    public static readonly ApiParameter AnalyticsTimeZone = Query(
        "tz", "The IANA time zone whose hours and days the buckets follow, e.g. `Europe/Berlin` (default `UTC`).", Text);

    public static readonly ApiParameter AnalyticsRevisionId = Query("revisionId", "Only runs of this revision (`rev_…`).", Text);

    public static readonly ApiParameter AnalyticsModel = Query("model", "Only runs that used this concrete model (the run's `model`).", Text);

    /// <summary>Parameters whose meaning is the same on every endpoint that binds them; the document always describes them so.</summary>
    public static readonly IReadOnlyDictionary<string, ApiParameter> Universal = new Dictionary<string, ApiParameter>(StringComparer.Ordinal)
    {
        [Limit.Name] = Limit,
        [Offset.Name] = Offset,
        [Wait.Name] = Wait,
        [Status.Name] = Status,
    };

    private static ApiParameter Query(string name, string description, Func<OpenApiSchema> schema) => new(name, ParameterLocation.Query, description, schema);

    private static ApiParameter Header(string name, string description, Func<OpenApiSchema> schema) => new(name, ParameterLocation.Header, description, schema);

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    private static OpenApiSchema Text(int maxLength) => new() { Type = JsonSchemaType.String, MaxLength = maxLength };

    private static OpenApiSchema DateTime() => new() { Type = JsonSchemaType.String, Format = "date-time" };

    private static OpenApiSchema Integer(int minimum, int? maximum, int @default) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Default = JsonValue.Create(@default),
    };

    private static OpenApiSchema Enum(IEnumerable<string> values) => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. values.Select(static v => (JsonNode)JsonValue.Create(v))],
    };
}
