using System.Text.Json.Serialization;
using Agentry.Core.Common;
using Microsoft.AspNetCore.Mvc;

namespace Agentry.Server.Http;

/// <summary>
/// Builds the API's error answers (API.md, Errors): RFC 9457 fields (<c>type</c>, <c>title</c>, <c>status</c>) plus
/// the fields Ag.dev clients read (<c>error</c>, <c>message</c>, <c>statusCode</c>, <c>errors</c>).
/// </summary>
public static class ApiProblems
{
    /// <summary>The code of a 405; API.md lists the status without naming a code.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>The problem for <paramref name="status"/> and <paramref name="code"/>.</summary>
    public static ProblemDetails Create(int status, string code, string message, IReadOnlyList<FieldError>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Type = "/problems/" + code,
            Title = TitleOf(code),
            Status = status,
        };
        problem.Extensions["error"] = code;
        problem.Extensions["message"] = message;
        problem.Extensions["statusCode"] = status;
        problem.Extensions["errors"] = (errors ?? []).Select(e => new ProblemError(e.Path, e.Keyword, e.Message, e.SchemaPath)).ToList();
        return problem;
    }

    /// <summary>Writes the problem as <c>application/problem+json</c> through the app's <see cref="IProblemDetailsService"/>.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyList<FieldError>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Create(status, code, message, errors) });
    }

    /// <summary>The code of an error answer that carries none of its own (framework answers such as 404 and 405).</summary>
    public static string CodeOf(int status) => status switch
    {
        400 => ProblemCodes.BadRequest,
        401 => ProblemCodes.Unauthorized,
        403 => ProblemCodes.Forbidden,
        404 => ProblemCodes.NotFound,
        405 => MethodNotAllowed,
        409 => ProblemCodes.Conflict,
        413 => ProblemCodes.PayloadTooLarge,
        415 => ProblemCodes.UnsupportedMediaType,
        422 => ProblemCodes.InvalidInput,
        429 => ProblemCodes.RateLimited,
        _ => status >= 500 ? ProblemCodes.Internal : ProblemCodes.BadRequest,
    };

    private static string TitleOf(string code) => code switch
    {
        ProblemCodes.MalformedJson => "The request body is not valid JSON",
        ProblemCodes.BadRequest => "The request is invalid",
        ProblemCodes.Unauthorized => "A valid API key is required",
        ProblemCodes.Forbidden => "The API key lacks a required scope",
        ProblemCodes.NotFound => "Not found",
        MethodNotAllowed => "Method not allowed",
        ProblemCodes.Conflict => "Conflict",
        ProblemCodes.PayloadTooLarge => "The request body is too large",
        ProblemCodes.UnsupportedMediaType => "Unsupported media type",
        ProblemCodes.InvalidInput => "Input does not match the agent's inputSchema",
        ProblemCodes.InvalidSchema => "The JSON Schema is invalid",
        ProblemCodes.InvalidAgent => "The agent configuration is invalid",
        ProblemCodes.RateLimited => "Too many requests",
        ProblemCodes.Internal => "Internal error",
        _ => "The request failed",
    };

    /// <summary>One item of <c>errors</c>; <c>schemaPath</c> only when a schema keyword is to blame.</summary>
    private sealed record ProblemError(
        string Path,
        string Keyword,
        string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SchemaPath);
}
