using System.Globalization;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Agentry.Server.Hosting;

/// <summary>
/// Serves the web console (the built <c>src/console</c>, copied to <c>&lt;app&gt;/console</c>) without an API key:
/// its files, compressed ahead of time (<c>.br</c>, <c>.gz</c>) and chosen by <c>Accept-Encoding</c>; hashed
/// assets cached as immutable, <c>index.html</c> revalidated on every load; and <c>index.html</c> for the console's
/// client routes (paths without a file extension). Paths of the API and the host's own endpoints are never answered
/// with the console, so an unknown API path keeps its 401/404 problem.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string IndexFile = "index.html";
    private const string ImmutableCache = "public, max-age=31536000, immutable";
    private const string RevalidateCache = "no-cache";

    private static readonly string[] ReservedPrefixes = ["/v1", "/v0.1", "/openapi", "/healthz", "/readyz", "/docs"];
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly PhysicalFileProvider? _files;

    public ConsoleAssets(string root)
    {
        Root = Path.GetFullPath(root);
        _files = File.Exists(Path.Combine(Root, IndexFile)) ? new PhysicalFileProvider(Root) : null;
    }

    /// <summary>The directory served.</summary>
    public string Root { get; }

    /// <summary>Whether a built console was found there.</summary>
    public bool Available => _files is not null;

    /// <summary>Whether <paramref name="path"/> belongs to the API or the host rather than the console.</summary>
    public static bool IsReserved(PathString path)
    {
        var value = path.Value ?? string.Empty;
        foreach (var prefix in ReservedPrefixes)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (value.Length == prefix.Length || value[prefix.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Answers the request from the console when it is the console's; otherwise passes it on.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (_files is null
            || context.GetEndpoint() is not null
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || IsReserved(request.Path))
        {
            await next(context);
            return;
        }

        var path = request.Path.Value is { Length: > 1 } value ? value : "/" + IndexFile;
        var file = _files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            // A client route (no extension in its last segment) gets the app, which routes in the browser; a missing
            // file is a 404 (not the API's 401: the console's paths need no key).
            if (Path.HasExtension(path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            path = "/" + IndexFile;
            file = _files.GetFileInfo(path);
        }

        await SendAsync(context, path, file);
    }

    private async Task SendAsync(HttpContext context, string path, IFileInfo file)
    {
        var response = context.Response;
        var isIndex = path.EndsWith("/" + IndexFile, StringComparison.Ordinal);
        var (body, encoding) = ChooseEncoding(context.Request, path, file);
        var etag = new EntityTagHeaderValue(string.Create(CultureInfo.InvariantCulture, $"\"{body.LastModified.UtcTicks:x}-{body.Length:x}\""));

        response.Headers.CacheControl = isIndex || !path.StartsWith("/assets/", StringComparison.Ordinal) ? RevalidateCache : ImmutableCache;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.ETag = etag.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        if (isIndex)
        {
            // The console talks only to this origin; nothing it renders may load scripts from elsewhere.
            response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";
        }

        if (context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } ifNoneMatch
            && ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = ContentTypes.TryGetContentType(path, out var contentType) ? contentType : "application/octet-stream";
        if (contentType is not null && (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType == "application/javascript") && !contentType.Contains("charset", StringComparison.Ordinal))
        {
            response.ContentType = contentType + "; charset=utf-8";
        }

        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await response.SendFileAsync(body, context.RequestAborted);
    }

    /// <summary>The precompressed copy the client accepts (brotli first), else the file itself.</summary>
    private (IFileInfo Body, string? Encoding) ChooseEncoding(HttpRequest request, string path, IFileInfo file)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        foreach (var (encoding, extension) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (Accepts(accepted, encoding) && _files!.GetFileInfo(path + extension) is { Exists: true } compressed)
            {
                return (compressed, encoding);
            }
        }

        return (file, null);
    }

    private static bool Accepts(IList<StringWithQualityHeaderValue> accepted, string encoding)
    {
        var match = accepted.FirstOrDefault(a => StringSegment.Equals(a.Value, encoding, StringComparison.OrdinalIgnoreCase))
            ?? accepted.FirstOrDefault(a => a.Value == "*");
        return match is not null && (match.Quality ?? 1) > 0;
    }
}

/// <summary>Adds the console to the pipeline.</summary>
internal static class ConsoleAssetsExtensions
{
    /// <summary>
    /// Serves the console from <c>Agentry:ConsoleDir</c> (default <c>&lt;app&gt;/console</c>). Goes before
    /// authentication: the console's files need no key (API.md "Authentication"); the API it calls does.
    /// </summary>
    public static WebApplication UseAgentryConsole(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgentryServerOptions>>().Value;
        var assets = new ConsoleAssets(options.ConsoleDir ?? Path.Combine(AppContext.BaseDirectory, "console"));
        if (!assets.Available)
        {
            Log.ConsoleNotFound(app.Logger, assets.Root);
            return app;
        }

        app.Use((context, next) => assets.InvokeAsync(context, next));
        return app;
    }
}
