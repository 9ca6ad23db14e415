using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Agentry.Client.Tests.Infrastructure;

/// <summary>One answer of a <see cref="ScriptedHttpServer"/>.</summary>
public sealed record ScriptedAnswer(int Status, string Body = "", string ContentType = "application/problem+json", string? RetryAfter = null);

/// <summary>One request a <see cref="ScriptedHttpServer"/> received.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? ApiKey, DateTimeOffset At);

/// <summary>
/// A tiny HTTP server on 127.0.0.1 that answers requests with a script, in order (the last answer repeats), and
/// records what it received: for failure behaviour (429, 503, odd bodies) a real server does not produce on demand.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ScriptedAnswer[] _script;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly Task _serving;
    private int _next;

    public ScriptedHttpServer(params ScriptedAnswer[] script)
    {
        _script = script;
        var port = FreePort();
        Address = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>Where the server listens.</summary>
    public Uri Address { get; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (HttpListenerException)
        {
            // Stopped.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }

        _listener.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            _received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, context.Request.Headers["X-API-Key"], DateTimeOffset.UtcNow));
            var index = Math.Min(Interlocked.Increment(ref _next) - 1, _script.Length - 1);
            var answer = _script[index];
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            if (answer.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = answer.RetryAfter;
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
