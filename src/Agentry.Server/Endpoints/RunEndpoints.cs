using System.Globalization;
using System.Text.Json;
using Agentry.Core.Common;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>Runs (API.md, Runs): start, batch, read, list, wait, cancel, rerun. Reading needs <c>runs:read</c>, changing <c>runs:write</c>.</summary>
public static class RunEndpoints
{
    /// <summary>The longest <c>wait</c> a request may ask for.</summary>
    public const int MaxWaitSeconds = 60;

    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder api)
    {
        var byAgent = api.MapGroup("/agents/{agentId}/runs").WithTags("Runs");
        byAgent.MapPost(string.Empty, StartRun)
            .WithName("StartRun").WithSummary("Start a run of the agent with the body as its input")
            .WithDescription("The input is validated against the revision's `inputSchema`; the run is stored as `pending` and a worker takes it. 201 with the new run, or 200 with the existing one when the `Idempotency-Key` was used before with the same input.")
            .AcceptsJson<JsonElement>(ApiExamples.StartRun, "The run's input itself: a JSON object valid against the agent's `inputSchema`.")
            .WithParameters(ApiParameters.StartRevisionId, ApiParameters.IdempotencyKey)
            .ProducesProblems(409, "The agent was deleted, or the `Idempotency-Key` was used within 24 hours with another input (`conflict`).")
            .ProducesProblems(422, "The input does not match the agent's `inputSchema` (`invalid_input`); every violation is in `errors` and nothing is stored.")
            .RequireAuthorization(ApiScopes.RunsWrite);
        byAgent.MapPost("/batch", StartBatch)
            .WithName("StartRunBatch").WithSummary("Start up to 1,000 runs at once, all or nothing")
            .AcceptsJson<RunBatchRequest>(ApiExamples.StartBatch, "One input object per run (1 to 1,000), and optionally the revision to run them on.")
            .ProducesProblems(409, "The agent was deleted (`conflict`).")
            .ProducesProblems(422, "The batch is empty or too large, or inputs do not match the agent's `inputSchema` (`invalid_input`); `errors` name each bad input by index (`/inputs/3/topic`) and no run is started.")
            .RequireAuthorization(ApiScopes.RunsWrite);
        byAgent.MapGet(string.Empty, ListAgentRuns)
            .WithName("ListAgentRuns").WithSummary("The agent's runs, newest first")
            .RequireAuthorization(ApiScopes.RunsRead);
        byAgent.MapGet("/{runId}", GetAgentRun)
            .WithName("GetAgentRun").WithSummary("One run of the agent; wait= long-polls until it ends")
            .RequireAuthorization(ApiScopes.RunsRead);
        byAgent.MapPost("/{runId}/cancel", CancelAgentRun)
            .WithName("CancelAgentRun").WithSummary("Cancel a run of the agent")
            .WithoutRequestBody()
            .ProducesProblems(409, AlreadyEnded)
            .RequireAuthorization(ApiScopes.RunsWrite);

        var runs = api.MapGroup("/runs").WithTags("Runs");
        runs.MapGet(string.Empty, ListRuns)
            .WithName("ListRuns").WithSummary("All runs of the organization, newest first, with filters and cursor paging")
            .WithParameters(
                ApiParameters.RunAgentId, ApiParameters.RunRevisionId, ApiParameters.Status, ApiParameters.ErrorCode, ApiParameters.CreatedAfter,
                ApiParameters.CreatedBefore, ApiParameters.Cursor, ApiParameters.Limit, ApiParameters.Offset)
            .RequireAuthorization(ApiScopes.RunsRead);
        runs.MapGet("/{runId}", GetRun)
            .WithName("GetRun").WithSummary("One run; wait= long-polls until it ends")
            .RequireAuthorization(ApiScopes.RunsRead);
        runs.MapPost("/{runId}/cancel", CancelRun)
            .WithName("CancelRun").WithSummary("Cancel a run; in-flight model and tool calls are stopped")
            .WithoutRequestBody()
            .ProducesProblems(409, AlreadyEnded)
            .RequireAuthorization(ApiScopes.RunsWrite);
        runs.MapPost("/{runId}/rerun", Rerun)
            .WithName("RerunRun").WithSummary("A new run with the same input, on the same revision unless revisionId names another")
            .WithoutRequestBody()
            .WithParameters(ApiParameters.RerunRevisionId)
            .ProducesProblems(409, "The agent was deleted (`conflict`).")
            .ProducesProblems(422, "The input does not match the chosen revision's `inputSchema` (`invalid_input`).")
            .RequireAuthorization(ApiScopes.RunsWrite);
        return api;
    }

    private const string AlreadyEnded = "The run has already ended (`conflict`); there is nothing to cancel.";

    public static async Task<Results<Created<RunResponse>, Ok<RunResponse>>> StartRun(
        string agentId, string? revisionId, string? wait, HttpRequest request, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        var waitFor = ParseWait(wait);
        var input = await JsonBody.ReadAsync<JsonElement>(request, cancellationToken);
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 255)
        {
            throw ProblemException.BadRequest("The Idempotency-Key header must be at most 255 characters.");
        }

        var started = await runs.StartAsync(caller.OrganizationId, agentId, input, new StartRunOptions(revisionId, key.Length == 0 ? null : key), cancellationToken);
        var run = waitFor > TimeSpan.Zero ? await runs.WaitAsync(caller.OrganizationId, started.Run.Id, waitFor, cancellationToken) : started.Run;
        return started.Created
            ? TypedResults.Created($"/v1/runs/{run.Id}", RunResponse.From(run))
            : TypedResults.Ok(RunResponse.From(run));
    }

    public static async Task<Created<RunBatchResponse>> StartBatch(string agentId, HttpRequest request, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RunBatchRequest>(request, cancellationToken);
        if (body.Inputs is null)
        {
            throw ProblemException.BadRequest("The body must be {\"inputs\": [ … ]} with one input object per run.", [new FieldError("/inputs", "required", "is required")]);
        }

        var started = await runs.StartBatchAsync(caller.OrganizationId, agentId, body.Inputs, body.RevisionId, cancellationToken);
        return TypedResults.Created($"/v1/agents/{agentId}/runs", new RunBatchResponse([.. started.Select(RunResponse.From)]));
    }

    public static async Task<Ok<RunListResponse>> ListAgentRuns(
        string agentId, string? status, string? limit, string? offset, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        var page = ListQuery.Parse(limit, offset);
        var query = new RunQuery
        {
            OrganizationId = caller.OrganizationId,
            AgentId = agentId,
            Status = ParseStatus(status),
            Limit = page.Limit,
            Offset = page.Offset,
        };
        return TypedResults.Ok(ToList(await runs.ListForAgentAsync(query, cancellationToken), page));
    }

    public static async Task<Ok<RunListResponse>> ListRuns(HttpRequest request, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var page = ListQuery.Parse(q["limit"], q["offset"]);
        var cursor = q["cursor"].ToString();
        if (cursor.Length > 0 && page.Offset > 0)
        {
            throw ProblemException.BadRequest("Use either cursor or offset, not both.");
        }

        var query = new RunQuery
        {
            OrganizationId = caller.OrganizationId,
            AgentId = NullIfEmpty(q["agentId"]),
            RevisionId = NullIfEmpty(q["revisionId"]),
            Status = ParseStatus(q["status"]),
            ErrorCode = ParseErrorCode(q["errorCode"]),
            CreatedAfter = ParseTime("createdAfter", q["createdAfter"]),
            CreatedBefore = ParseTime("createdBefore", q["createdBefore"]),
            BeforeId = cursor.Length > 0 ? RunCursor.Decode(cursor) : null,
            Limit = page.Limit,
            Offset = page.Offset,
        };
        return TypedResults.Ok(ToList(await runs.ListAsync(query, cancellationToken), page));
    }

    public static async Task<Ok<RunResponse>> GetAgentRun(string agentId, string runId, string? wait, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        var run = await WaitOrGetAsync(caller, runId, wait, runs, cancellationToken);
        return TypedResults.Ok(RunResponse.From(OfAgent(run, agentId)));
    }

    public static async Task<Ok<RunResponse>> GetRun(string runId, string? wait, Caller caller, RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(RunResponse.From(await WaitOrGetAsync(caller, runId, wait, runs, cancellationToken)));

    public static async Task<Accepted<RunResponse>> CancelAgentRun(string agentId, string runId, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        OfAgent(await runs.GetAsync(caller.OrganizationId, runId, cancellationToken), agentId);
        return await CancelRun(runId, caller, runs, cancellationToken);
    }

    public static async Task<Accepted<RunResponse>> CancelRun(string runId, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        var run = await runs.CancelAsync(caller.OrganizationId, runId, cancellationToken);
        return TypedResults.Accepted($"/v1/runs/{run.Id}", RunResponse.From(run));
    }

    public static async Task<Created<RunResponse>> Rerun(string runId, string? revisionId, Caller caller, RunService runs, CancellationToken cancellationToken)
    {
        var run = await runs.RerunAsync(caller.OrganizationId, runId, revisionId, cancellationToken);
        return TypedResults.Created($"/v1/runs/{run.Id}", RunResponse.From(run));
    }

    private static async Task<Run> WaitOrGetAsync(Caller caller, string runId, string? wait, RunService runs, CancellationToken cancellationToken)
    {
        var waitFor = ParseWait(wait);
        return waitFor > TimeSpan.Zero
            ? await runs.WaitAsync(caller.OrganizationId, runId, waitFor, cancellationToken)
            : await runs.GetAsync(caller.OrganizationId, runId, cancellationToken);
    }

    /// <summary>A run reached under an agent's path must be that agent's; any other answers 404 as if absent.</summary>
    private static Run OfAgent(Run run, string agentId) =>
        string.Equals(run.AgentId, agentId, StringComparison.Ordinal) ? run : throw ProblemException.NotFound($"Run {run.Id} of agent {agentId}");

    private static RunListResponse ToList(RunPage page, PageRequest request) =>
        new([.. page.Items.Select(RunResponse.From)], page.Total, request.Limit, request.Offset, page.NextBeforeId is { } id ? RunCursor.Encode(id) : null);

    private static TimeSpan ParseWait(string? wait)
    {
        if (string.IsNullOrEmpty(wait))
        {
            return TimeSpan.Zero;
        }

        return int.TryParse(wait, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxWaitSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw ProblemException.BadRequest(
                $"The query parameter 'wait' must be a whole number of seconds from 0 to {MaxWaitSeconds}, not '{wait}'.",
                [new FieldError("wait", "range", $"must be an integer from 0 to {MaxWaitSeconds}")]);
    }

    private static RunStatus? ParseStatus(string? status)
    {
        if (string.IsNullOrEmpty(status))
        {
            return null;
        }

        return RunStatusExtensions.TryParseApiName(status, out var parsed)
            ? parsed
            : throw ProblemException.BadRequest(
                $"The query parameter 'status' must be one of pending, running, done, error; not '{status}'.",
                [new FieldError("status", "enum", "must be one of: pending, running, done, error")]);
    }

    private static string? ParseErrorCode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        return RunErrorCodes.All.Contains(code)
            ? code
            : throw ProblemException.BadRequest(
                $"The query parameter 'errorCode' must be one of {string.Join(", ", RunErrorCodes.All)}; not '{code}'.",
                [new FieldError("errorCode", "enum", $"must be one of: {string.Join(", ", RunErrorCodes.All)}")]);
    }

    private static DateTimeOffset? ParseTime(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw ProblemException.BadRequest(
                $"The query parameter '{name}' must be an ISO-8601 time such as 2026-01-31T12:00:00Z; not '{value}'.",
                [new FieldError(name, "format", "must be an ISO-8601 date-time")]);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>The opaque <c>cursor</c> of <c>GET /v1/runs</c>: the id of the last run of the previous page (ids sort by creation).</summary>
internal static class RunCursor
{
    private const string Prefix = "c1:";

    public static string Encode(string lastRunId) => OpaqueCursor.Encode(Prefix, lastRunId);

    public static string Decode(string cursor) =>
        OpaqueCursor.TryDecode(Prefix, cursor, out var lastRunId)
            ? lastRunId
            : throw ProblemException.BadRequest("The cursor is not valid; pass the nextCursor of a previous page unchanged.", [new FieldError("cursor", "format", "is not a cursor this server issued")]);
}
