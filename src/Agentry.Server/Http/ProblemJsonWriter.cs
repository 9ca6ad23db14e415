using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Agentry.Server.Http;

/// <summary>
/// Writes every problem as <c>application/problem+json</c> with the app's JSON settings. Unlike the default
/// writer it ignores the <c>Accept</c> header: an SSE client that sends <c>Accept: text/event-stream</c> must
/// still learn why its request failed.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        if (!problem.Extensions.ContainsKey("error"))
        {
            // A framework-made problem (no code of ours): give it the API's shape from the status alone.
            var status = problem.Status ?? response.StatusCode;
            var request = context.HttpContext.Request;
            var message = status switch
            {
                StatusCodes.Status404NotFound => $"There is nothing at {request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
                _ => problem.Detail ?? problem.Title ?? ReasonPhrases.GetReasonPhrase(status),
            };
            problem = ApiProblems.Create(status, ApiProblems.CodeOf(status), message);
        }

        response.StatusCode = problem.Status ?? response.StatusCode;

        return new ValueTask(response.WriteAsJsonAsync(problem, jsonOptions.Value.SerializerOptions, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
