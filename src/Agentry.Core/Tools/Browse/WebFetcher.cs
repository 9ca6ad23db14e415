using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Agentry.Core.Tools.Browse;

/// <summary>
/// Fetches public web pages safely for <c>browseWebsite</c>. DNS is resolved inside the connection callback and every
/// resolved address is checked by <see cref="AddressPolicy"/> before a socket is opened, so neither a name pointing
/// at an internal address nor DNS rebinding between a check and the connect reaches the inside. Redirects are
/// followed here, not by the handler, so each hop's URL is checked too. Proxies are not used: through a proxy the
/// connection would go to the proxy and the check would be meaningless.
/// </summary>
public sealed partial class WebFetcher : IDisposable
{
    private const string Accept = "text/html,application/xhtml+xml,application/json;q=0.9,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.5";

    private readonly BrowseOptions _options;
    private readonly AddressPolicy _policy;
    private readonly ILogger _logger;
    private readonly HttpClient _client;

    public WebFetcher(BrowseOptions options, ILogger<WebFetcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _policy = new AddressPolicy(options.AllowedHosts, options.AllowedNetworks);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 64,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Fetches <paramref name="url"/>; anything the model should hear about is a <see cref="ToolException"/>.</summary>
    public async Task<WebPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            return await FetchFollowingRedirectsAsync(url, deadline.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException($"Fetching {url} took longer than the limit of {_options.TimeoutSeconds} s.", exception);
        }
        catch (HttpRequestException exception)
        {
            // The connection callback's refusal arrives wrapped; the model should read the refusal itself.
            for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is ToolException refusal)
                {
                    throw new ToolException(refusal.Message, exception);
                }
            }

            Log.FetchFailed(_logger, url, exception);
            throw new ToolException($"Fetching {url} failed: {exception.Message}", exception);
        }
    }

    private async Task<WebPage> FetchFollowingRedirectsAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            CheckUrl(current);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Accept.ParseAdd(Accept);
            request.Headers.UserAgent.ParseAdd("AgentryBot/1.0 (browseWebsite)");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (hop >= _options.MaxRedirects)
                {
                    throw new ToolException($"{url} redirected more than {_options.MaxRedirects} times; the last hop was to {current}.");
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ToolException($"{current} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var body = await ReadBoundedAsync(current, response.Content, cancellationToken);
            var contentType = response.Content.Headers.ContentType;
            return new WebPage(current, contentType?.MediaType?.ToLowerInvariant(), contentType?.CharSet, body);
        }
    }

    private static void CheckUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ToolException($"Only http and https URLs can be browsed; '{url}' is not one.");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw new ToolException($"URLs with credentials cannot be browsed; '{url.GetLeftPart(UriPartial.Scheme)}{url.Host}' was given some.");
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or
        HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private async Task<byte[]> ReadBoundedAsync(Uri url, HttpContent content, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        if (content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw new ToolException($"{url} is {declared:N0} bytes, over the limit of {limit:N0} bytes; it was not read.");
        }

        // The declared length may be absent or false, and compressed bodies grow when decoded: count what is read.
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ToolException($"{url} is larger than the limit of {limit:N0} bytes; reading stopped there.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var hostAllowed = _policy.IsAllowedHost(host);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException exception)
            {
                throw new ToolException($"The host '{host}' could not be resolved ({exception.SocketErrorCode}).", exception);
            }
        }

        var usable = hostAllowed ? addresses : [.. addresses.Where(address => _policy.RefusalOf(address) is null)];
        if (usable.Length == 0)
        {
            var reason = addresses.Length == 0 ? "no address" : _policy.RefusalOf(addresses[0]) ?? "no usable address";
            Log.AddressRefused(_logger, host, reason);
            throw new ToolException(
                $"Refused to connect to '{host}': it resolves to {reason} ({string.Join(", ", addresses.Take(3).Select(a => a.ToString()))}), " +
                "which browseWebsite does not reach. Only public web addresses can be browsed unless the server's configuration allows this host.");
        }

        SocketException? last = null;
        foreach (var address in usable)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new ToolException($"Could not connect to '{host}': {last?.Message}", last!);
    }

    public void Dispose() => _client.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "browseWebsite refused {Host}: it resolves to {Reason}")]
        public static partial void AddressRefused(ILogger logger, string host, string reason);

        [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "browseWebsite could not fetch {Url}")]
        public static partial void FetchFailed(ILogger logger, Uri url, Exception exception);
    }
}
