using System.Text.Json;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>
/// Feedback on runs (API.md, Runs): <c>POST /v1/runs/{runId}/feedback {key, score, comment?}</c> stores a score for a
/// finished run (201 the first time for a key, 200 when it replaces the key's earlier score), and
/// <c>GET /v1/runs/{runId}/feedback</c> lists the run's scores by key.
/// </summary>
public static class FeedbackEndpoints
{
    public static IEndpointRouteBuilder MapFeedbackEndpoints(this IEndpointRouteBuilder api)
    {
        var feedback = api.MapGroup("/runs/{runId}/feedback").WithTags("Runs");
        feedback.MapPost(string.Empty, SetFeedback)
            .WithName("SetRunFeedback").WithSummary("Score a finished run under a key (0–1, with an optional comment); a second score for the key replaces the first")
            .AcceptsJson<RunFeedbackRequest>(ApiExamples.SetFeedback, "`key` (letters, digits, `_ - . :`), `score` from 0 to 1 and an optional `comment`.")
            .ProducesProblems(409, "The run has not ended yet.")
            .ProducesProblems(422, "`key`, `score` or `comment` is missing or out of range.")
            .RequireAuthorization(ApiScopes.RunsWrite);
        feedback.MapGet(string.Empty, ListFeedback)
            .WithName("ListRunFeedback").WithSummary("The run's feedback, one item per key")
            .RequireAuthorization(ApiScopes.RunsRead);
        return api;
    }

    public static async Task<Results<Created<RunFeedbackResponse>, Ok<RunFeedbackResponse>>> SetFeedback(
        string runId, HttpRequest request, Caller caller, RunFeedbackService feedback, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<JsonElement>(request, cancellationToken);
        var result = await feedback.SetAsync(caller.OrganizationId, runId, body, cancellationToken);
        var response = RunFeedbackResponse.From(result.Stored!);
        return result.Outcome == FeedbackWriteOutcome.Created
            ? TypedResults.Created($"/v1/runs/{runId}/feedback", response)
            : TypedResults.Ok(response);
    }

    public static async Task<Ok<RunFeedbackListResponse>> ListFeedback(string runId, Caller caller, RunFeedbackService feedback, CancellationToken cancellationToken)
    {
        var items = await feedback.ListAsync(caller.OrganizationId, runId, cancellationToken);
        return TypedResults.Ok(new RunFeedbackListResponse([.. items.Select(RunFeedbackResponse.From)]));
    }
}
