using System.Text.Json;
using Agentry.Core.Common;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Agentry.Server.Http;

/// <summary>
/// Reads a request's JSON body the one way every endpoint does, with the API's errors: 415 when the body is not
/// JSON, 413 past <c>Agentry:Limits:MaxJsonBodyBytes</c>, 400 <c>malformed_json</c> (with the parser's line
/// and position) when it does not parse or does not fit the expected shape, 400 when a required body is missing.
/// </summary>
public static class JsonBody
{
    /// <summary>The body as <typeparamref name="T"/>; it must be present.</summary>
    /// <exception cref="ProblemException">400, 413 or 415 as described on <see cref="JsonBody"/>.</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : notnull =>
        await ReadOptionalAsync<T>(request, cancellationToken) is { } value
            ? value
            : throw ProblemException.BadRequest("A JSON body is required.");

    /// <summary>The body as <typeparamref name="T"/>, or default when the request has no body.</summary>
    /// <exception cref="ProblemException">400, 413 or 415 as described on <see cref="JsonBody"/>.</exception>
    public static async Task<T?> ReadOptionalAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<AgentryServerOptions>>().Value.Limits.MaxJsonBodyBytes;
        if (request.ContentLength > 0)
        {
            RequireJsonContentType(request);
        }

        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var body = await ReadBoundedAsync(request.Body, limit, cancellationToken);
        if (body.Length == 0)
        {
            return default;
        }

        RequireJsonContentType(request);
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, AgentryJson.Options)
                ?? throw ProblemException.BadRequest("The request body must not be null.");
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
    }

    private static void RequireJsonContentType(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            var given = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type '{request.ContentType}'";
            throw new ProblemException(415, ProblemCodes.UnsupportedMediaType, $"The request body must be JSON (Content-Type: application/json), not {given}.");
        }
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; one more means the body is too large (chunked bodies have no length up front).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static ProblemException TooLarge(long limit) =>
        new(413, ProblemCodes.PayloadTooLarge, $"The request body is larger than the limit of {limit} bytes.");

    private static ProblemException Malformed(JsonException ex)
    {
        // The parser's message ends with "Path: … | LineNumber: … | BytePositionInLine: …"; say it in words instead.
        var reason = ex.Message;
        var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            reason = reason[..cut];
        }

        var where = ex.LineNumber is { } line
            ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}"
            : string.Empty;
        var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" ({ex.Path})";
        return new ProblemException(400, ProblemCodes.MalformedJson, $"The request body is not valid JSON{where}{path}: {reason}");
    }
}
