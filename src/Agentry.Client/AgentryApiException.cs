using System.Net;

namespace Agentry.Client;

/// <summary>
/// The server refused a request: the API error code (<see cref="ErrorCode"/>, e.g. <c>invalid_input</c>,
/// <c>not_found</c>, <c>rate_limited</c>), its message, the HTTP status and every field error it named. Every error
/// answer of the API surfaces as this one type; a server that cannot be reached surfaces as
/// <see cref="HttpRequestException"/>.
/// </summary>
public sealed class AgentryApiException : Exception
{
    /// <summary>Creates the exception for an error answer.</summary>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    /// <param name="errorCode">The API error code (<c>error</c> of the problem).</param>
    /// <param name="message">What went wrong, as the server said it.</param>
    /// <param name="fieldErrors">The problems the server named, each with where; empty when none.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, when it had one.</param>
    public AgentryApiException(HttpStatusCode statusCode, string errorCode, string message, IReadOnlyList<AgentryFieldError>? fieldErrors = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        FieldErrors = fieldErrors ?? [];
        RetryAfter = retryAfter;
    }

    /// <summary>Creates an exception with a generic message (<c>internal</c>, 500).</summary>
    public AgentryApiException()
        : this(HttpStatusCode.InternalServerError, "internal", "The Agentry API answered with an error.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> (<c>internal</c>, 500).</summary>
    /// <param name="message">What went wrong.</param>
    public AgentryApiException(string message)
        : this(HttpStatusCode.InternalServerError, "internal", message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/> (<c>internal</c>, 500).</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AgentryApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        ErrorCode = "internal";
        FieldErrors = [];
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The API error code (API.md, Errors), such as <c>invalid_input</c>, <c>unauthorized</c> or <c>conflict</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>Every problem the server named, each with a JSON Pointer (or a parameter name) and a message; empty when none.</summary>
    public IReadOnlyList<AgentryFieldError> FieldErrors { get; }

    /// <summary>How long the server asked the client to wait (<c>Retry-After</c>), when it said so.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>One problem of a refused request: where, which rule, and what to fix.</summary>
public sealed record AgentryFieldError
{
    /// <summary>A JSON Pointer into the request body (<c>/topic</c>) or the name of a query parameter.</summary>
    public string Path { get; init; } = "";

    /// <summary>The rule that failed, such as <c>required</c>, <c>type</c> or <c>maximum</c>.</summary>
    public string Keyword { get; init; } = "";

    /// <summary>What is wrong, for a person.</summary>
    public string Message { get; init; } = "";

    /// <summary>Where in the schema the rule is, when a schema keyword is to blame; otherwise null.</summary>
    public string? SchemaPath { get; init; }
}
