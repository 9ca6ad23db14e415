using System.CommandLine;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli;

/// <summary>The options every command takes: where to connect, with which key, and whether to answer in JSON.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5170";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = "The server, e.g. http://127.0.0.1:5170 (else AGENTRY_URL, else the login profile, else http://127.0.0.1:5170)",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The API key (else AGENTRY_API_KEY, else the login profile)",
        Recursive = true,
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "The login profile to use (else AGENTRY_PROFILE, else 'default')",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON for scripts instead of tables and live output",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(Profile);
        root.Options.Add(Json);
    }
}

/// <summary>What a command needs at run time: its parse result, the connection, and the consoles to write to.</summary>
internal sealed class CliContext(ParseResult parse, GlobalOptions options)
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _stdout = Console.Out;

    public ParseResult Parse { get; } = parse;

    public bool Json => Parse.GetValue(options.Json);

    public IAnsiConsole Out { get; } = Unwrapped(AnsiConsole.Console, Console.IsOutputRedirected);

    public IAnsiConsole Error { get; } = Unwrapped(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), Console.IsErrorRedirected);

    /// <summary>Whether a person watches: stdout is a terminal and JSON was not asked for.</summary>
    public bool Interactive => !Json && !Console.IsOutputRedirected;

    public string ProfileName =>
        Parse.GetValue(options.Profile) ?? (Environment.GetEnvironmentVariable("AGENTRY_PROFILE") is { Length: > 0 } p ? p : "default");

    /// <summary>The server: <c>--url</c>, else <c>AGENTRY_URL</c>, else the profile, else the default address.</summary>
    public Uri ServerUrl
    {
        get
        {
            var text = Parse.GetValue(options.Url)
                ?? NonEmpty(Environment.GetEnvironmentVariable("AGENTRY_URL"))
                ?? new ConnectionProfiles().Find(ProfileName)?.Url
                ?? GlobalOptions.DefaultUrl;
            return ParseUrl(text);
        }
    }

    /// <summary>The key: <c>--api-key</c>, else <c>AGENTRY_API_KEY</c>, else the profile; null when none is known.</summary>
    public string? ApiKey =>
        Parse.GetValue(options.ApiKey)
        ?? NonEmpty(Environment.GetEnvironmentVariable("AGENTRY_API_KEY"))
        ?? new ConnectionProfiles().Find(ProfileName)?.ApiKey;

    public static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliUsageException($"'{text}' is not a server URL; give one such as http://127.0.0.1:5170.");

    public AgentryClient CreateClient(Uri? url = null, string? apiKey = null) =>
        new(new HttpClient { Timeout = TimeSpan.FromSeconds(100) }, new AgentryClientOptions { BaseAddress = url ?? ServerUrl, ApiKey = apiKey ?? ApiKey });

    /// <summary>Prints <paramref name="value"/> as indented JSON with the API's property names.</summary>
    public void WriteJson<T>(T value) =>
        _stdout.WriteLine(JsonSerializer.Serialize(AgentryClient.ToJson(value), Pretty));

    public static string FormatJson(JsonElement value) => JsonSerializer.Serialize(value, Pretty);

    /// <summary>Reports a failure on stderr (as JSON with <c>--json</c>) and answers the exit code for it.</summary>
    public int Fail(Exception exception)
    {
        var (code, errorCode, message, fields, hint) = exception switch
        {
            CliUsageException usage => (ExitCodes.Usage, "bad_usage", usage.Message, [], null),
            AgentryApiException api => (ExitCodeOf(api), api.ErrorCode, api.Message, api.FieldErrors, HintFor(api)),
            HttpRequestException http => (ExitCodes.Unavailable, "unreachable", $"Cannot reach the Agentry server at {ServerUrl}: {http.Message}", [],
                "Is it running? Start one with 'agentry serve', or point the CLI at yours with --url or AGENTRY_URL."),
            TaskCanceledException => (ExitCodes.Unavailable, "timeout", $"The Agentry server at {ServerUrl} did not answer in time.", Array.Empty<AgentryFieldError>(), null),
            _ => throw exception,
        };

        if (Json)
        {
            Console.Error.WriteLine(JsonSerializer.Serialize(new { error = errorCode, message, errors = fields.Select(f => new { f.Path, f.Keyword, f.Message }), hint }, Pretty));
            return code;
        }

        Error.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        foreach (var field in fields)
        {
            Error.MarkupLine($"  [yellow]{Markup.Escape(field.Path.Length == 0 ? "(input)" : field.Path)}[/]: {Markup.Escape(field.Message)}");
        }

        if (hint is not null)
        {
            Error.MarkupLine($"[grey]{Markup.Escape(hint)}[/]");
        }

        return code;
    }

    private static int ExitCodeOf(AgentryApiException api) => (int)api.StatusCode switch
    {
        401 or 403 => ExitCodes.Unavailable,
        >= 400 and < 500 and not 429 => ExitCodes.Usage,
        _ => ExitCodes.RunFailed,
    };

    private static string? HintFor(AgentryApiException api) => api.StatusCode switch
    {
        HttpStatusCode.Unauthorized => "Log in with 'agentry login --url <server> --key <key>', or set AGENTRY_API_KEY, or pass --api-key.",
        HttpStatusCode.Forbidden => "Use a key with the needed scope: an admin creates one with 'agentry keys create --scope <scope>'.",
        HttpStatusCode.TooManyRequests => "The server is rate limiting this key; try again later.",
        _ => null,
    };

    /// <summary>Output read by a program (a pipe, a file) is not wrapped at 80 columns: a message stays on one line for grep.</summary>
    private static IAnsiConsole Unwrapped(IAnsiConsole console, bool redirected)
    {
        if (redirected)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
