using Microsoft.AspNetCore.Http.Metadata;

namespace Agentry.Server.OpenApi;

/// <summary>
/// The conventions that describe an endpoint in <c>/openapi/v1.json</c> beyond what the framework infers from the
/// handler's signature. <see cref="ApiOperationTransformer"/> turns this metadata into the document, and adds what
/// follows from the endpoint itself: the security requirement and 401/429 (every endpoint that is not anonymous),
/// 403 (an endpoint that requires a scope), 404 (a route with parameters), 400 (query or header parameters, or a
/// body), 413/415 (a body) and 500 (every endpoint), each as <c>application/problem+json</c> with the shared
/// <c>Problem</c> schema.
/// </summary>
public static class ApiDocumentation
{
    /// <summary>The media type of every error answer (API.md, Errors).</summary>
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The media type of the server-sent event streams.</summary>
    public const string EventStreamContentType = "text/event-stream";

    /// <summary>
    /// Documents problem answers that only the endpoint knows it gives, such as 409 (a conflict with the resource's
    /// state) or 422 (a well-formed body that is invalid), with the default description of each status.
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProblemResponseMetadata(status, Description: null));
        }

        return builder;
    }

    /// <summary>
    /// Documents one problem answer with a description that says when this endpoint gives it. (Not named
    /// <c>ProducesProblem</c>: the framework's method of that name takes a content type as its second argument.)
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, int status, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemResponseMetadata(status, description));

    /// <summary>
    /// Documents a JSON request body read by hand (<see cref="Http.JsonBody"/>): its schema (<typeparamref name="TBody"/>),
    /// an example (a JSON text, checked when the document is built) and, when given, what the body is. The body's
    /// 400, 413 and 415 problems follow.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder builder, string example, string? description = null, bool isOptional = false)
        where TBody : notnull
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(example);
        return builder
            .Accepts<TBody>(isOptional, "application/json")
            .WithMetadata(new RequestBodyMetadata(example, description));
    }

    /// <summary>
    /// Documents a <c>multipart/form-data</c> body read by hand: its fields are the properties of <typeparamref name="TForm"/>
    /// (an <see cref="IFormFile"/> property is a file). The body's 400, 413 and 415 problems follow.
    /// </summary>
    public static RouteHandlerBuilder AcceptsForm<TForm>(this RouteHandlerBuilder builder, string description)
        where TForm : notnull
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return builder
            .Accepts<TForm>("multipart/form-data")
            .WithMetadata(new RequestBodyMetadata(Example: null, description));
    }

    /// <summary>Says that a POST, PUT or PATCH endpoint takes no body, so the document check does not ask for one.</summary>
    public static RouteHandlerBuilder WithoutRequestBody(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(NoRequestBodyMetadata.Instance);

    /// <summary>
    /// Documents a 200 answer as a <c>text/event-stream</c> (beside any JSON 200 the handler also gives), with what its
    /// messages carry.
    /// </summary>
    public static RouteHandlerBuilder ProducesEventStream(this RouteHandlerBuilder builder, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return builder.WithMetadata(new EventStreamMetadata(description));
    }

    /// <summary>
    /// Documents query or header parameters that the handler reads by hand (or binds as strings), from
    /// <see cref="ApiParameters"/>, which gives each its type, range and description.
    /// </summary>
    public static TBuilder WithParameters<TBuilder>(this TBuilder builder, params ApiParameter[] parameters)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters)
        {
            builder.WithMetadata(new DocumentedParameterMetadata(parameter));
        }

        return builder;
    }
}

/// <summary>A problem answer of one endpoint; the status's default description when <paramref name="Description"/> is null.</summary>
internal sealed record ProblemResponseMetadata(int Status, string? Description);

/// <summary>The example (JSON bodies) and description of a request body; its schema comes from <see cref="IAcceptsMetadata"/>.</summary>
internal sealed record RequestBodyMetadata(string? Example, string? Description);

/// <summary>The endpoint takes no body although its method usually has one.</summary>
internal sealed class NoRequestBodyMetadata
{
    public static readonly NoRequestBodyMetadata Instance = new();

    private NoRequestBodyMetadata()
    {
    }
}

/// <summary>The endpoint answers 200 with a <c>text/event-stream</c>.</summary>
internal sealed record EventStreamMetadata(string Description);

/// <summary>A parameter the handler reads by hand.</summary>
internal sealed record DocumentedParameterMetadata(ApiParameter Parameter);
