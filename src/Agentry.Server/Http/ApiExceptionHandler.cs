using Agentry.Core.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Agentry.Server.Http;

/// <summary>
/// Turns exceptions into the API's error answers: a <see cref="ProblemException"/> into its status and code, a
/// framework <see cref="BadHttpRequestException"/> into 400 (or 413), anything else into 500 <c>internal</c>
/// — logged with its stack trace, which never reaches the client.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ProblemException problem:
                await ApiProblems.WriteAsync(httpContext, problem.Status, problem.Code, problem.Message, problem.Errors);
                return true;
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge:
                await ApiProblems.WriteAsync(httpContext, 413, ProblemCodes.PayloadTooLarge, tooLarge.Message);
                return true;
            case BadHttpRequestException badRequest:
                await ApiProblems.WriteAsync(httpContext, badRequest.StatusCode, ApiProblems.CodeOf(badRequest.StatusCode), badRequest.Message);
                return true;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                // The client went away; there is no one to answer.
                return true;
            default:
                Log.UnhandledException(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
                await ApiProblems.WriteAsync(httpContext, 500, ProblemCodes.Internal, "An internal error occurred. It has been logged; the request may be retried.");
                return true;
        }
    }
}
