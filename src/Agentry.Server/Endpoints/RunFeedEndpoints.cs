using System.Globalization;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;

namespace Agentry.Server.Endpoints;

/// <summary>
/// The live feed of run changes in the caller's organization (API.md, Runs: <c>GET /v1/runs/stream</c>), for live run
/// lists: load the list with <c>GET /v1/runs</c>, then open the feed, which starts from now. Needs <c>runs:read</c>.
/// </summary>
public static class RunFeedEndpoints
{
    private const int FeedBatch = 500;

    public static IEndpointRouteBuilder MapRunFeedEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/runs/stream", StreamRuns)
            .WithTags("Runs").WithName("StreamRuns")
            .WithSummary("Server-sent events of run changes in the organization (one `run` event per change, the run as it is now); resumable with Last-Event-ID or ?after=")
            .ProducesEventStream(
                "Messages `id: <cursor>`, `event: run`, `data: <Run JSON>`, one per creation or change of status, usage or cancel request; first a message with only an `id` (the cursor of now). A `: ping` comment every 15 s. It never ends by itself.")
            .WithParameters(ApiParameters.FeedAgentId, ApiParameters.AfterRunChange, ApiParameters.LastEventId)
            .RequireAuthorization(ApiScopes.RunsRead);
        return api;
    }

    /// <summary>
    /// Sends <c>event: run</c> with the run as it stands whenever a run of the organization (of <c>agentId</c>, when
    /// given) is created or changes status, usage or cancel request. Without a cursor it starts from now; with one
    /// (<c>Last-Event-ID</c> or <c>?after=</c>, the <c>id</c> of a message) it first sends every run changed since,
    /// once each in its current state, in change order. It never ends by itself.
    /// </summary>
    public static async Task StreamRuns(HttpContext context, Caller caller, RunService runs, RunEventHub hub, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId;
        var agentId = context.Request.Query["agentId"].ToString() is { Length: > 0 } id ? id : null;
        long? resumeAfter = ServerSentEvents.ReadResumeCursor(context.Request) is { } resume ? RunChangeCursor.Decode(resume) : null;
        if (agentId is not null)
        {
            await runs.RequireAgentAsync(organizationId, agentId, cancellationToken);
        }

        // Subscribe before reading "now": a change committed after that read still wakes the loop, so none is missed.
        using var subscription = hub.SubscribeOrganization(organizationId);
        var after = resumeAfter ?? await runs.GetLastChangeAsync(organizationId, cancellationToken);
        var writer = await ServerSentEvents.StartAsync(context, cancellationToken);
        // Gives a client that started from now a cursor at once: a drop before the first change still resumes from here.
        await writer.WriteIdAsync(RunChangeCursor.Encode(after), cancellationToken);
        await ServerSentEvents.PumpAsync(writer, subscription, SendChangesAsync, cancellationToken);

        async Task<bool> SendChangesAsync(CancellationToken token)
        {
            IReadOnlyList<Run> changed;
            do
            {
                changed = await runs.ReadChangesAsync(organizationId, agentId, after, FeedBatch, token);
                foreach (var run in changed)
                {
                    after = run.ChangeSeq;
                    await writer.WriteEventAsync(RunChangeCursor.Encode(after), "run", RunResponse.From(run), token);
                }
            }
            while (changed.Count == FeedBatch);

            await writer.FlushAsync(token);
            // A live feed never ends by itself.
            return false;
        }
    }
}

/// <summary>The opaque <c>id</c> of the run feed's messages: a position in the store's change order of runs.</summary>
internal static class RunChangeCursor
{
    private const string Prefix = "rc1:";

    public static string Encode(long changeSeq) => OpaqueCursor.Encode(Prefix, changeSeq.ToString(CultureInfo.InvariantCulture));

    public static long Decode(ResumeCursor cursor) =>
        OpaqueCursor.TryDecode(Prefix, cursor.Text, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var changeSeq)
            ? changeSeq
            : throw ProblemException.BadRequest(
                $"{cursor.Source} is not a cursor of this run stream; pass the id of a message it sent, unchanged.",
                [new FieldError(cursor.Source, "format", "is not a run stream cursor this server issued")]);
}
