using System.Net;
using System.Text;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.Runs;

/// <summary>Small helpers over the runs API, shared by the run and event tests.</summary>
public static class RunApi
{
    /// <summary>A document agent on the offline model without tools (tools arrive with the runtime issue; a run needing a missing tool fails).</summary>
    public static Dictionary<string, object?> Research(string name = "Research")
    {
        var agent = TestAgents.Research(name);
        agent.Remove("tools");
        return agent;
    }

    /// <summary>A json agent on the offline model without tools.</summary>
    public static Dictionary<string, object?> JsonResult(string name = "Brief")
    {
        var agent = TestAgents.JsonResult(name);
        agent.Remove("tools");
        return agent;
    }

    /// <summary>A document agent whose steps take 400 ms each (the <c>local/offline-slow</c> stack), to watch and cancel.</summary>
    public static Dictionary<string, object?> SlowAgent(string name = "Slow", int? timeoutSeconds = null)
    {
        var agent = Research(name);
        agent["modelStackId"] = "local/offline-slow";
        if (timeoutSeconds is { } seconds)
        {
            agent["limits"] = new { timeoutSeconds = seconds };
        }

        return agent;
    }

    public static async Task<string> CreateAgentAsync(this HttpClient client, Dictionary<string, object?> agent)
    {
        var created = await client.PostJsonAsync("/v1/agents", agent, HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> StartRunAsync(this HttpClient client, string agentId, object input, HttpStatusCode status = HttpStatusCode.Created) =>
        await client.PostJsonAsync($"/v1/agents/{agentId}/runs", input, status);

    public static async Task<JsonElement> GetRunAsync(this HttpClient client, string runId, int wait = 0)
    {
        using var response = await client.GetAsync($"/v1/runs/{runId}?wait={wait}");
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Long-polls until the run is terminal (failing the test if it is not within a minute).</summary>
    public static async Task<JsonElement> WaitForEndAsync(this HttpClient client, string runId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var run = await client.GetRunAsync(runId, wait: 10);
            if (run.Status() is "done" or "error")
            {
                return run;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"run {runId} did not end: {run}");
        }
    }

    /// <summary>Polls until the run has left pending.</summary>
    public static async Task<JsonElement> WaitForRunningAsync(this HttpClient client, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await client.GetRunAsync(runId);
            if (run.Status() != "pending")
            {
                return run;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"run {runId} was never claimed");
            await Task.Delay(20);
        }
    }

    /// <summary>Every event of the run, read page by page with <c>after</c>.</summary>
    public static async Task<List<JsonElement>> GetEventsAsync(this HttpClient client, string runId)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            using var response = await client.GetAsync($"/v1/runs/{runId}/events?limit=100&after={events.Count}");
            var page = (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            events.AddRange(page);
            if (page.Count < 100)
            {
                return events;
            }
        }
    }

    public static string Status(this JsonElement run) => run.GetProperty("status").GetString()!;

    public static string Id(this JsonElement element) => element.GetProperty("id").GetString()!;

    public static string? ErrorCode(this JsonElement run) =>
        run.GetProperty("error").ValueKind == JsonValueKind.Null ? null : run.GetProperty("error").GetProperty("code").GetString();

    /// <summary>
    /// Reads a server-sent event stream to its end (or until <paramref name="until"/> says stop). <paramref name="opened"/>
    /// is called once the server answered 200, i.e. once it is watching (streams subscribe before they answer).
    /// </summary>
    public static async Task<SseReplay> ReadStreamAsync(
        this HttpClient client, string path, string? lastEventId = null, Func<SseMessage, bool>? until = null, Action? opened = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var messages = new List<SseMessage>();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new SseReplay(response.StatusCode, messages, response.Content.Headers.ContentType?.MediaType);
        }

        opened?.Invoke();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null)
                {
                    var message = new SseMessage(id, type, data.ToString());
                    messages.Add(message);
                    if (type == "end" || (until?.Invoke(message) ?? false))
                    {
                        break;
                    }
                }

                (id, type) = (null, null);
                data.Clear();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }

        return new SseReplay(response.StatusCode, messages, response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>What a stream sent.</summary>
public sealed record SseReplay(HttpStatusCode Status, List<SseMessage> Messages, string? ContentType)
{
    /// <summary>The event messages (everything but <c>end</c>), parsed.</summary>
    public List<JsonElement> Events => [.. Messages.Where(m => m.Type != "end").Select(m => JsonDocument.Parse(m.Data).RootElement.Clone())];
}

/// <summary>One server-sent message.</summary>
public sealed record SseMessage(string? Id, string Type, string Data);

/// <summary>Plain GET helpers that read JSON.</summary>
public static class HttpClientJson
{
    public static async Task<JsonElement> GetFromJsonElementAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }
}
