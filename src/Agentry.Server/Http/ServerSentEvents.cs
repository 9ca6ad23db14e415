using System.Globalization;
using System.Text;
using System.Text.Json;
using Agentry.Core.Events;
using Microsoft.Extensions.Options;

namespace Agentry.Server.Http;

/// <summary>
/// The <c>text/event-stream</c> plumbing shared by the streams of the API (a run's events, the run feed): where the
/// resume cursor comes from, the response headers, and the loop that sends changes, waits for the hub's wake-up and
/// keeps proxies open with a ping every <see cref="Heartbeat"/>.
/// </summary>
internal static class ServerSentEvents
{
    /// <summary>How long a stream stays silent before it sends a <c>: ping</c> comment.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The cursor the client resumes from: <c>Last-Event-ID</c> (what browsers send on reconnect) wins over
    /// <c>?after=</c>; null when it sent neither.
    /// </summary>
    public static ResumeCursor? ReadResumeCursor(HttpRequest request)
    {
        var lastEventId = request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            return new ResumeCursor("Last-Event-ID", lastEventId);
        }

        var after = request.Query["after"].ToString();
        return after.Length > 0 ? new ResumeCursor("after", after) : null;
    }

    /// <summary>Starts the response as an unbuffered event stream and answers its writer. Validate the request before.</summary>
    public static async Task<ServerSentEventWriter> StartAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken);

        // The same serializer settings as every JSON answer, so a streamed object is byte-for-byte the listed one.
        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return new ServerSentEventWriter(response.Body, json);
    }

    /// <summary>
    /// Calls <paramref name="sendChanges"/> (which sends everything changed since its cursor, flushes, and answers true
    /// when the stream is over), then waits on <paramref name="subscription"/> — taken before the first read, so a change
    /// committed in between still wakes the loop — sending a ping when nothing woke it for <see cref="Heartbeat"/>.
    /// Returns when the stream is over or the client went away (it resumes with <c>Last-Event-ID</c>).
    /// </summary>
    public static async Task PumpAsync(
        ServerSentEventWriter writer, ChangeSubscription subscription, Func<CancellationToken, Task<bool>> sendChanges, CancellationToken cancellationToken)
    {
        try
        {
            while (!await sendChanges(cancellationToken))
            {
                if (!await subscription.WaitAsync(Heartbeat, cancellationToken))
                {
                    await writer.WritePingAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; it resumes with Last-Event-ID.
        }
    }
}

/// <summary>A resume cursor as the client sent it, and where (<c>Last-Event-ID</c> or <c>after</c>), to name it in errors.</summary>
internal sealed record ResumeCursor(string Source, string Text);

/// <summary>Writes the <c>text/event-stream</c> format: <c>id</c>, <c>event</c> and one-line JSON <c>data</c> per message.</summary>
internal sealed class ServerSentEventWriter(Stream body, JsonSerializerOptions json)
{
    public Task WriteEventAsync<T>(long id, string type, T data, CancellationToken cancellationToken) =>
        WriteEventAsync(id.ToString(CultureInfo.InvariantCulture), type, data, cancellationToken);

    public async Task WriteEventAsync<T>(string id, string type, T data, CancellationToken cancellationToken)
    {
        var text = JsonSerializer.Serialize(data, json);
        await WriteAsync($"id: {id}\nevent: {type}\ndata: {text}\n\n", cancellationToken);
    }

    /// <summary>
    /// A message with only an <c>id</c>: clients dispatch no event for it but remember it as their last event id, so a
    /// reconnect resumes from there even when no event came before the drop.
    /// </summary>
    public async Task WriteIdAsync(string id, CancellationToken cancellationToken) =>
        await WriteAsync($"id: {id}\n\n", cancellationToken);

    public async Task WriteEndAsync(CancellationToken cancellationToken)
    {
        await WriteAsync("event: end\ndata: {}\n\n", cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public async Task WritePingAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(": ping\n\n", cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public Task FlushAsync(CancellationToken cancellationToken) => body.FlushAsync(cancellationToken);

    private async Task WriteAsync(string text, CancellationToken cancellationToken) =>
        await body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
}

/// <summary>
/// Opaque cursors: a version prefix and a value, base64url-encoded, so clients pass them back unchanged instead of
/// building them (the format may change behind the prefix).
/// </summary>
internal static class OpaqueCursor
{
    public static string Encode(string prefix, string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The value behind <paramref name="prefix"/>; false when <paramref name="cursor"/> is not one of ours.</summary>
    public static bool TryDecode(string prefix, string cursor, out string value)
    {
        value = string.Empty;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length > prefix.Length)
            {
                value = text[prefix.Length..];
                return true;
            }
        }
        catch (FormatException)
        {
            // Not base64: not a cursor of ours.
        }

        return false;
    }
}
