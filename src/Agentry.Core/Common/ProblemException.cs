namespace Agentry.Core.Common;

/// <summary>
/// A request that cannot be carried out, with the API error code and HTTP status it answers with
/// (API.md, Errors). Services throw it before changing anything, so no request is ever half applied;
/// the server turns it into <c>application/problem+json</c>.
/// </summary>
public sealed class ProblemException : Exception
{
    public ProblemException(int status, string code, string message, IReadOnlyList<FieldError>? errors = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Errors = errors ?? [];
    }

    public ProblemException()
        : this(500, ProblemCodes.Internal, "An internal error occurred.")
    {
    }

    public ProblemException(string message)
        : this(400, ProblemCodes.BadRequest, message)
    {
    }

    public ProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Code = ProblemCodes.Internal;
        Errors = [];
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The API error code, one of <see cref="ProblemCodes"/>.</summary>
    public string Code { get; }

    /// <summary>Every problem found, each naming where (a JSON Pointer) and what.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    public static ProblemException BadRequest(string message, IReadOnlyList<FieldError>? errors = null) => new(400, ProblemCodes.BadRequest, message, errors);

    public static ProblemException NotFound(string what) => new(404, ProblemCodes.NotFound, $"{what} was not found.");

    public static ProblemException Conflict(string message) => new(409, ProblemCodes.Conflict, message);

    public static ProblemException Unprocessable(string code, string message, IReadOnlyList<FieldError> errors) => new(422, code, message, errors);
}

/// <summary>One problem in a request: where (<see cref="Path"/>, a JSON Pointer), which rule, and what to fix.</summary>
public sealed record FieldError(string Path, string Keyword, string Message, string? SchemaPath = null);

/// <summary>The error codes of API.md.</summary>
public static class ProblemCodes
{
    public const string MalformedJson = "malformed_json";
    public const string BadRequest = "bad_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InvalidInput = "invalid_input";
    public const string InvalidSchema = "invalid_schema";
    public const string InvalidAgent = "invalid_agent";
    public const string RateLimited = "rate_limited";
    public const string Internal = "internal";
}
