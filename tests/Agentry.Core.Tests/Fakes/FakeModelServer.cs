using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Agentry.Core.Tests.Fakes;

/// <summary>
/// A scripted HTTP server on 127.0.0.1 for the model providers' real clients: every request is recorded and answered
/// by the next <see cref="FakeReply"/> in the script (status, headers, body, an optional delay, or a dropped connection).
/// Speaks whatever API the replies are written in (OpenAI's, Anthropic's, Ollama's); see <see cref="FakeReplies"/>.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;

    public FakeModelServer()
    {
        // HttpListener cannot bind port 0, so take a free port from the OS first; the window for a clash is tiny.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The server's root, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>The requests received so far, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    /// <summary>Answers the next request with <paramref name="reply"/>.</summary>
    public FakeModelServer Then(FakeReply reply)
    {
        _script.Enqueue(reply);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (ObjectDisposedException)
        {
            // The listener was closed under GetContextAsync: that is how the loop ends.
        }

        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new FakeRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body));

            if (!_script.TryDequeue(out var reply))
            {
                reply = FakeReply.Json(500, """{"error":{"message":"The fake server's script has no answer for this request."}}""");
            }

            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stopping.Token);
            }

            if (reply.DropConnection)
            {
                // Promise a body, send a piece of it, and cut the connection: the client sees the answer end mid-way.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = 4096;
                await context.Response.OutputStream.WriteAsync("{\"id\":"u8.ToArray(), _stopping.Token);
                await context.Response.OutputStream.FlushAsync(_stopping.Token);
                context.Response.Abort();
                return;
            }

            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            foreach (var (name, value) in reply.Headers)
            {
                context.Response.Headers[name] = value;
            }

            if (reply.Chunks is { } chunks)
            {
                // Streamed: each chunk flushed on its own, as a server-sent event stream arrives.
                context.Response.SendChunked = true;
                foreach (var chunk in chunks)
                {
                    var bytes = Encoding.UTF8.GetBytes(chunk);
                    await context.Response.OutputStream.WriteAsync(bytes, _stopping.Token);
                    await context.Response.OutputStream.FlushAsync(_stopping.Token);
                }
            }
            else
            {
                var bytes = Encoding.UTF8.GetBytes(reply.Body);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes, _stopping.Token);
            }

            context.Response.Close();
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (a cancelled call) or the server is stopping; nothing to answer.
        }
    }
}

/// <summary>One request the fake server received.</summary>
public sealed record FakeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => TestRuns.Json(Body);
}

/// <summary>One scripted answer.</summary>
public sealed record FakeReply(int Status, string Body, string ContentType = "application/json")
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public TimeSpan Delay { get; init; }

    public bool DropConnection { get; init; }

    /// <summary>When set, the body is sent as these chunks, flushed one by one.</summary>
    public IReadOnlyList<string>? Chunks { get; init; }

    public static FakeReply Json(int status, string body) => new(status, body);

    public static FakeReply Dropped() => new(200, string.Empty) { DropConnection = true };
}
