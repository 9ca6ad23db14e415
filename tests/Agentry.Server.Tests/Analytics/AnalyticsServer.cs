using System.Net;
using System.Text.Json;
using Agentry.Core.Models;
using Agentry.Core.Runtime;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests.Analytics;

/// <summary>
/// A clock whose "now" the test sets (every stamp the engine writes comes from it) while timers and timestamps stay
/// real, so workers, heartbeats and waits behave as usual. The scripted model moves it forward during a run, which
/// gives each run an exact duration.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock to <paramref name="time"/>, which must not be earlier than now.</summary>
    public void Set(DateTimeOffset time)
    {
        lock (_gate)
        {
            time.ShouldBeGreaterThanOrEqualTo(_now, "the clock never goes back");
            _now = time;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}

/// <summary>
/// The model of the <c>test/scripted</c> stack: it follows the run's input. <c>durationMs</c> moves the clock forward
/// during the result turn; <c>calls</c> (<c>[{tool, ok}]</c>) are made in one acting turn (<c>codeInterpreter</c> with a
/// script that works or throws, any other name is a tool that does not exist); <c>tokens</c> (<c>[input, output]</c>)
/// are the result turn's usage; <c>model</c> names the model that answered; <c>fail</c> makes the result turn fail
/// (<c>model_error</c>); <c>hold</c> keeps the planning turn waiting until the test releases <see cref="Held"/>.
/// </summary>
public sealed class ScriptedAgentModel(ManualClock clock) : IChatClient, IModelProvider
{
    public string Name => "scripted";

    public string DefaultModel => "scripted-model";

    /// <summary>Released once per held run to let it go on.</summary>
    public SemaphoreSlim Held { get; } = new(0);

    public ModelClientResult CreateClient(string stackId, string model, ModelStackOptions options) => ModelClientResult.Created(this);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var turn = AgentTurn.From(options) ?? throw new InvalidOperationException("The scripted model answers the agent loop only.");
        var input = turn.Input;
        var model = input.TryGetProperty("model", out var m) ? m.GetString()! : DefaultModel;
        switch (turn.Phase)
        {
            case AgentPhase.Planning:
                if (input.TryGetProperty("hold", out var hold) && hold.GetBoolean())
                {
                    await Held.WaitAsync(cancellationToken);
                }

                return Text("Plan: follow the script.", model, 0, 0);
            case AgentPhase.Acting when !messages.Any(static message => message.Role == ChatRole.Tool) && input.TryGetProperty("calls", out var calls):
                var contents = calls.EnumerateArray().Select((call, i) => (AIContent)ToolCall(call, i)).ToList();
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents)) { ModelId = model, FinishReason = ChatFinishReason.ToolCalls };
            case AgentPhase.Acting:
                return Text("Done with the tools.", model, 0, 0);
            default:
                if (input.TryGetProperty("durationMs", out var duration))
                {
                    clock.Advance(TimeSpan.FromMilliseconds(duration.GetInt64()));
                }

                if (input.TryGetProperty("fail", out var fail) && fail.GetBoolean())
                {
                    throw new InvalidOperationException("The script says this run fails.");
                }

                var tokens = input.TryGetProperty("tokens", out var t) ? (t[0].GetInt64(), t[1].GetInt64()) : (0L, 0L);
                return Text("The result.", model, tokens.Item1, tokens.Item2);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static FunctionCallContent ToolCall(JsonElement call, int index)
    {
        var tool = call.GetProperty("tool").GetString()!;
        var ok = call.GetProperty("ok").GetBoolean();
        return new FunctionCallContent($"call_{index}", tool, new Dictionary<string, object?> { ["code"] = ok ? "1 + 1" : "throw new Error('scripted')" });
    }

    private static ChatResponse Text(string text, string model, long input, long output) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = model,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };
}

/// <summary>
/// A server for analytics tests: one worker (runs execute one after another, so queue waits add up), a
/// <see cref="ManualClock"/>, the <c>test/scripted</c> stack priced at $2 per million input and $10 per million output
/// tokens, and an hour-long lease so the clock's jumps never look like a lost worker.
/// </summary>
public sealed class AnalyticsServer : IAsyncDisposable
{
    public const decimal InputPricePerMillion = 2m;
    public const decimal OutputPricePerMillion = 10m;

    private AnalyticsServer(DateTimeOffset start, Action<IServiceCollection>? configure)
    {
        Clock = new ManualClock(start);
        Model = new ScriptedAgentModel(Clock);
        Factory = AgentryServerFactory.Create(new Dictionary<string, string?>
        {
            ["Agentry:Workers:Concurrency"] = "1",
            ["Agentry:Workers:LeaseDuration"] = "01:00:00",
            ["Agentry:Models:Stacks:test/scripted:Provider"] = "scripted",
            ["Agentry:Models:Stacks:test/scripted:InputPricePerMillion"] = "2",
            ["Agentry:Models:Stacks:test/scripted:OutputPricePerMillion"] = "10",
        });
        Factory.WithServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IModelProvider>(Model);
            configure?.Invoke(services);
        });
        Client = Factory.CreateAdminClient();
    }

    public ManualClock Clock { get; }

    public ScriptedAgentModel Model { get; }

    public AgentryServerFactory Factory { get; }

    public HttpClient Client { get; }

    /// <summary>A server whose clock starts at <paramref name="start"/>; <paramref name="configure"/> adds or replaces services.</summary>
    public static AnalyticsServer Start(DateTimeOffset start, Action<IServiceCollection>? configure = null) => new(start, configure);

    /// <summary>An agent on the scripted stack with the code interpreter.</summary>
    public static Dictionary<string, object?> Agent(string name = "Analysed")
    {
        var agent = RunApi.Research(name);
        agent["modelStackId"] = "test/scripted";
        agent["tools"] = new object[] { new { source = "builtin", type = "codeInterpreter" } };
        return agent;
    }

    /// <summary>Starts one run per input at the clock's current time (one batch) and waits until every one has ended.</summary>
    public async Task<List<JsonElement>> RunBatchAsync(string agentId, params object[] inputs) => await RunBatchAsync(Client, agentId, inputs);

    /// <summary>As <see cref="RunBatchAsync(string, object[])"/> with another organization's client.</summary>
    public static async Task<List<JsonElement>> RunBatchAsync(HttpClient client, string agentId, params object[] inputs)
    {
        var started = await client.PostJsonAsync($"/v1/agents/{agentId}/runs/batch", new { inputs }, HttpStatusCode.Created);
        var ended = new List<JsonElement>();
        foreach (var run in started.GetProperty("items").EnumerateArray())
        {
            ended.Add(await client.WaitForEndAsync(run.Id()));
        }

        return ended;
    }

    public async ValueTask DisposeAsync()
    {
        // Let any held run go so that the host stops without waiting for it.
        Model.Held.Release(100);
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
