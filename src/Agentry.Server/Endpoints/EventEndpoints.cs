using System.Globalization;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;

namespace Agentry.Server.Endpoints;

/// <summary>
/// A run's events (API.md, Events and Streaming): pages in seq order, and the server-sent event stream that
/// resumes exactly from a position. Needs <c>runs:read</c>.
/// </summary>
public static class EventEndpoints
{
    private const int StreamBatch = 500;

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/runs/{runId}/events", ListEvents)
            .WithTags("Events").WithName("ListRunEvents").WithSummary("A run's events in seq order; with Accept: text/event-stream, the live stream")
            .WithDescription(ListDescription)
            .Produces<RunEventListResponse>().ProducesEventStream(StreamMessages).Produces(StatusCodes.Status204NoContent)
            .WithParameters(ApiParameters.Limit, ApiParameters.Offset, ApiParameters.AfterSeq, ApiParameters.LastEventId)
            .RequireAuthorization(ApiScopes.RunsRead);
        api.MapGet("/agents/{agentId}/runs/{runId}/events", ListAgentRunEvents)
            .WithTags("Events").WithName("ListAgentRunEvents").WithSummary("A run's events in seq order; with Accept: text/event-stream, the live stream")
            .WithDescription(ListDescription)
            .Produces<RunEventListResponse>().ProducesEventStream(StreamMessages).Produces(StatusCodes.Status204NoContent)
            .WithParameters(ApiParameters.Limit, ApiParameters.Offset, ApiParameters.AfterSeq, ApiParameters.LastEventId)
            .RequireAuthorization(ApiScopes.RunsRead);
        api.MapGet("/runs/{runId}/events/stream", StreamEvents)
            .WithTags("Events").WithName("StreamRunEvents").WithSummary("Server-sent events of the run, resumable with Last-Event-ID or ?after=")
            .WithDescription(StreamDescription)
            .ProducesEventStream(StreamMessages).Produces(StatusCodes.Status204NoContent)
            .WithParameters(ApiParameters.AfterPosition, ApiParameters.LastEventId)
            .RequireAuthorization(ApiScopes.RunsRead);
        api.MapGet("/agents/{agentId}/runs/{runId}/events/stream", StreamAgentRunEvents)
            .WithTags("Events").WithName("StreamAgentRunEvents").WithSummary("Server-sent events of the run, resumable with Last-Event-ID or ?after=")
            .WithDescription(StreamDescription)
            .ProducesEventStream(StreamMessages).Produces(StatusCodes.Status204NoContent)
            .WithParameters(ApiParameters.AfterPosition, ApiParameters.LastEventId)
            .RequireAuthorization(ApiScopes.RunsRead);
        return api;
    }

    private const string StreamMessages =
        "One message per creation or change of an event: `id: <position>`, `event: <type>`, `data: <event JSON>` (a change re-sends the whole event with the same `seq`). A `: ping` comment every 15 s; `event: end` once the run has ended and everything is sent.";

    private const string StreamDescription =
        "Sends the current state of every event changed after the cursor in position order, then live changes. A reconnect after `event: end` answers 204, so browsers stop retrying.";

    private const string ListDescription =
        "A page of events in `seq` order (`after` is a seq here). With `Accept: text/event-stream` it is the event stream instead, exactly as `…/events/stream` (`after` is then a position), and may answer 204 once the run has ended.";

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
        var writer = await ServerSentEvents.StartAsync(context, cancellationToken);
        await ServerSentEvents.PumpAsync(writer, subscription, SendChangesAsync, cancellationToken);

        async Task<bool> SendChangesAsync(CancellationToken token)
        {
            IReadOnlyList<RunEvent> changes;
            do
            {
                changes = await log.ReadChangesAsync(runId, after, StreamBatch, token);
                foreach (var change in changes)
                {
                    await writer.WriteEventAsync(change.Position, change.Type, RunEventResponse.From(change), token);
                    after = change.Position;
                }
            }
            while (changes.Count == StreamBatch);

            await writer.FlushAsync(token);
            run = await runs.GetAsync(caller.OrganizationId, runId, token);
            if (run.IsTerminal && after >= run.LastPosition)
            {
                await writer.WriteEndAsync(token);
                return true;
            }

            return false;
        }
    }

    private static async Task<Run> FindRunAsync(IServiceProvider services, Caller caller, string? agentId, string runId, CancellationToken cancellationToken)
    {
        var run = await services.GetRequiredService<RunService>().GetAsync(caller.OrganizationId, runId, cancellationToken);
        return agentId is null || string.Equals(run.AgentId, agentId, StringComparison.Ordinal)
            ? run
            : throw ProblemException.NotFound($"Run {runId} of agent {agentId}");
    }

    /// <summary>The position to resume after (0 without a cursor: the whole log).</summary>
    private static long ParseCursor(HttpRequest request)
    {
        if (ServerSentEvents.ReadResumeCursor(request) is not { } cursor)
        {
            return 0;
        }

        return long.TryParse(cursor.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw ProblemException.BadRequest(
                $"{cursor.Source} must be an event position (a whole number >= 0), not '{cursor.Text}'.",
                [new FieldError(cursor.Source, "type", "must be a whole number >= 0")]);
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
