using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Agentry.Core.Tests.Fakes;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port) serving fixed responses by path, one request per connection.
/// It counts the connections it accepts, so a test can prove that a refused fetch never reached it.
/// </summary>
public sealed class LocalSite : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, SiteResponse> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _connections;

    public LocalSite()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public LocalSite Serve(string path, string contentType, string body) => Serve(path, new SiteResponse(200, contentType, Encoding.UTF8.GetBytes(body)));

    public LocalSite Serve(string path, SiteResponse response)
    {
        _routes[path] = response;
        return this;
    }

    public LocalSite Redirect(string path, string location) => Serve(path, new SiteResponse(302, null, [], Location: location));

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var path = await ReadRequestPathAsync(stream);
                var response = path is not null && _routes.TryGetValue(path, out var found)
                    ? found
                    : new SiteResponse(404, "text/plain", "not found"u8.ToArray());

                var head = new StringBuilder($"HTTP/1.1 {response.Status} {(response.Status == 200 ? "OK" : response.Status == 404 ? "Not Found" : "Found")}\r\n");
                if (response.ContentType is { } type)
                {
                    head.Append($"Content-Type: {type}\r\n");
                }

                if (response.Location is { } location)
                {
                    head.Append($"Location: {location}\r\n");
                }

                if (!response.OmitContentLength)
                {
                    head.Append($"Content-Length: {response.Body.Length}\r\n");
                }

                head.Append("Connection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
                await stream.WriteAsync(response.Body);
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // The client gave up (a refused oversize body, for one); nothing to serve.
            }
        }
    }

    private static async Task<string?> ReadRequestPathAsync(NetworkStream stream)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return null;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var requestLine = received.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length >= 2 ? requestLine[1] : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}

/// <summary>A response of <see cref="LocalSite"/>. Without a Content-Length the body is delimited by closing the connection.</summary>
public sealed record SiteResponse(int Status, string? ContentType, byte[] Body, string? Location = null, bool OmitContentLength = false);
