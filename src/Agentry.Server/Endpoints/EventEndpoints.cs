using System.Globalization;
using System.Text.Json;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Agentry.Server.Http;
using Agentry.Server.Security;

namespace Agentry.Server.Endpoints;

/// <summary>
/// A run's events (API.md, Events and Streaming): pages in seq order, and the server-sent event stream that
/// resumes exactly from a position. Needs <c>runs:read</c>.
/// </summary>
public static class EventEndpoints
{
    private const int StreamBatch = 500;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/runs/{runId}/events", ListEvents)
            .WithTags("Events").WithName("ListRunEvents").WithSummary("A run's events in seq order; with Accept: text/event-stream, the live stream")
            .RequireAuthorization(ApiScopes.RunsRead);
        api.MapGet("/agents/{agentId}/runs/{runId}/events", ListAgentRunEvents)
            .WithTags("Events").WithName("ListAgentRunEvents").WithSummary("A run's events in seq order; with Accept: text/event-stream, the live stream")
            .RequireAuthorization(ApiScopes.RunsRead);
        api.MapGet("/runs/{runId}/events/stream", StreamEvents)
            .WithTags("Events").WithName("StreamRunEvents").WithSummary("Server-sent events of the run, resumable with Last-Event-ID or ?after=")
            .RequireAuthorization(ApiScopes.RunsRead);
        api.MapGet("/agents/{agentId}/runs/{runId}/events/stream", StreamAgentRunEvents)
            .WithTags("Events").WithName("StreamAgentRunEvents").WithSummary("Server-sent events of the run, resumable with Last-Event-ID or ?after=")
            .RequireAuthorization(ApiScopes.RunsRead);
        return api;
    }

    public static Task ListAgentRunEvents(string agentId, string runId, HttpContext context, Caller caller, CancellationToken cancellationToken) =>
        ListOrStreamAsync(agentId, runId, context, caller, cancellationToken);

    public static Task ListEvents(string runId, HttpContext context, Caller caller, CancellationToken cancellationToken) =>
        ListOrStreamAsync(null, runId, context, caller, cancellationToken);

    public static Task StreamAgentRunEvents(string agentId, string runId, HttpContext context, Caller caller, CancellationToken cancellationToken) =>
        StreamAsync(agentId, runId, context, caller, cancellationToken);

    public static Task StreamEvents(string runId, HttpContext context, Caller caller, CancellationToken cancellationToken) =>
        StreamAsync(null, runId, context, caller, cancellationToken);

    private static async Task ListOrStreamAsync(string? agentId, string runId, HttpContext context, Caller caller, CancellationToken cancellationToken)
    {
        if (context.Request.GetTypedHeaders().Accept.Any(static a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)))
        {
            await StreamAsync(agentId, runId, context, caller, cancellationToken);
            return;
        }

        var q = context.Request.Query;
        var page = ListQuery.Parse(q["limit"], q["offset"]);
        var after = ParseAfterSeq(q["after"]);
        var services = context.RequestServices;
        await FindRunAsync(services, caller, agentId, runId, cancellationToken);
        var log = services.GetRequiredService<IEventLog>();
        var items = await log.ListAsync(runId, after, page.Offset, page.Limit, cancellationToken);
        var total = await log.CountAsync(runId, after, cancellationToken);
        await TypedResults.Ok(new RunEventListResponse([.. items.Select(RunEventResponse.From)], total, page.Limit, page.Offset)).ExecuteAsync(context);
    }

    /// <summary>
    /// Subscribes first, then sends the backlog after the cursor, then tails: a change committed between the read
    /// and the wait still wakes the loop, so nothing is missed. Ends with <c>event: end</c> once the run is terminal
    /// and all of its events are sent; a reconnect after that answers 204 so browsers stop retrying.
    /// </summary>
    private static async Task StreamAsync(string? agentId, string runId, HttpContext context, Caller caller, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var after = ParseCursor(context.Request);
        var run = await FindRunAsync(services, caller, agentId, runId, cancellationToken);
        if (run.IsTerminal && after >= run.LastPosition)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var hub = services.GetRequiredService<RunEventHub>();
        var log = services.GetRequiredService<IEventLog>();
        var runs = services.GetRequiredService<RunService>();
        using var subscription = hub.Subscribe(runId);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken);

        // The same serializer settings as every JSON answer, so a streamed event is byte-for-byte the listed one.
        var json = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var writer = new ServerSentEventWriter(response.Body, json);
        try
        {
            while (true)
            {
                var changes = await log.ReadChangesAsync(runId, after, StreamBatch, cancellationToken);
                foreach (var change in changes)
                {
                    await writer.WriteEventAsync(change.Position, change.Type, RunEventResponse.From(change), cancellationToken);
                    after = change.Position;
                }

                if (changes.Count == StreamBatch)
                {
                    continue;
                }

                await writer.FlushAsync(cancellationToken);
                run = await runs.GetAsync(caller.OrganizationId, runId, cancellationToken);
                if (run.IsTerminal && after >= run.LastPosition)
                {
                    await writer.WriteEndAsync(cancellationToken);
                    return;
                }

                if (!await subscription.WaitAsync(Heartbeat, cancellationToken))
                {
                    await writer.WritePingAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; it resumes with Last-Event-ID.
        }
    }

    private static async Task<Run> FindRunAsync(IServiceProvider services, Caller caller, string? agentId, string runId, CancellationToken cancellationToken)
    {
        var run = await services.GetRequiredService<RunService>().GetAsync(caller.OrganizationId, runId, cancellationToken);
        return agentId is null || string.Equals(run.AgentId, agentId, StringComparison.Ordinal)
            ? run
            : throw ProblemException.NotFound($"Run {runId} of agent {agentId}");
    }

    /// <summary>The position to resume after: <c>Last-Event-ID</c> (what browsers send on reconnect) wins over <c>?after=</c>.</summary>
    private static long ParseCursor(HttpRequest request)
    {
        var lastEventId = request.Headers["Last-Event-ID"].ToString();
        var (name, text) = lastEventId.Length > 0 ? ("Last-Event-ID", lastEventId) : ("after", request.Query["after"].ToString());
        if (text.Length == 0)
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw ProblemException.BadRequest($"{name} must be an event position (a whole number >= 0), not '{text}'.", [new FieldError(name, "type", "must be a whole number >= 0")]);
    }

    /// <summary>The <c>after</c> of an event list: a seq (events after it are listed).</summary>
    private static int ParseAfterSeq(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? seq
            : throw ProblemException.BadRequest(
                $"The query parameter 'after' must be an event seq (a whole number >= 0), not '{text}'.",
                [new FieldError("after", "type", "must be a whole number >= 0")]);
    }
}

/// <summary>Writes the <c>text/event-stream</c> format: <c>id</c>, <c>event</c> and one-line JSON <c>data</c> per message.</summary>
internal sealed class ServerSentEventWriter(Stream body, JsonSerializerOptions json)
{
    public async Task WriteEventAsync<T>(long id, string type, T data, CancellationToken cancellationToken)
    {
        var text = JsonSerializer.Serialize(data, json);
        await WriteAsync($"id: {id.ToString(CultureInfo.InvariantCulture)}\nevent: {type}\ndata: {text}\n\n", cancellationToken);
    }

    public async Task WriteEndAsync(CancellationToken cancellationToken)
    {
        await WriteAsync("event: end\ndata: {}\n\n", cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public async Task WritePingAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(": ping\n\n", cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public Task FlushAsync(CancellationToken cancellationToken) => body.FlushAsync(cancellationToken);

    private async Task WriteAsync(string text, CancellationToken cancellationToken) =>
        await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
}
