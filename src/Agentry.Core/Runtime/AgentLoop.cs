using System.Diagnostics;
using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Models;
using Agentry.Core.Runs;
using Agentry.Core.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Agentry.Core.Runtime;

/// <summary>
/// The agent runtime of DESIGN.md §5 on <see cref="IChatClient"/>: render the goal, plan, act (model turns and tool
/// calls), write the result, validate it. Every step is reported through the run's <see cref="IRunEventSink"/> as it
/// happens; usage is reported after every model call. A step counts as one model call, and limits
/// (<see cref="RunLimits"/>) are checked at each one. Usage starts from what the sink already holds, so a run resumed
/// after a lost worker keeps its budget.
/// </summary>
public sealed class AgentLoop : IAgentRuntime
{
    private readonly IModelStackRegistry _models;
    private readonly IReadOnlyList<IAgentToolProvider> _toolProviders;

    // Compiling a Handlebars template costs milliseconds, rendering a compiled one microseconds; keyed by the text itself.
    private readonly BoundedCache<GoalPromptTemplate> _goalPrompts = new(capacity: 2048);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AgentLoop> _logger;

    public AgentLoop(IModelStackRegistry models, IEnumerable<IAgentToolProvider> toolProviders, TimeProvider timeProvider, ILogger<AgentLoop> logger)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(toolProviders);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _models = models;
        _toolProviders = [.. toolProviders];
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<RunOutcome> ExecuteAsync(RunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Revision.Config;

        string goal;
        try
        {
            goal = _goalPrompts.GetOrAdd(config.GoalPrompt, static (source, _) => GoalPromptTemplate.Compile(source), 0).Render(context.Run.Input);
        }
        catch (FormatException exception)
        {
            throw new RunFailedException(RunErrorCodes.Internal, exception.Message, context.Events.LastSeq, exception);
        }

        var resolution = _models.Resolve(config.ModelStackId);
        if (!resolution.Available)
        {
            throw new RunFailedException(RunErrorCodes.ModelUnavailable, resolution.Reason, context.Events.LastSeq);
        }

        var tools = new List<AIFunction>();
        foreach (var provider in _toolProviders)
        {
            tools.AddRange(await provider.GetToolsAsync(context, cancellationToken));
        }

        if (MissingTools(config, tools) is { Count: > 0 } missing)
        {
            // Running without a tool the agent was configured with would quietly produce a worse result; say so instead.
            throw new RunFailedException(
                RunErrorCodes.ToolUnavailable,
                $"The agent uses {string.Join(", ", missing)}, which this server does not provide; remove it from the agent's tools or configure it.",
                context.Events.LastSeq);
        }

        var session = new RunSession(context, resolution.Stack, goal, tools, _timeProvider, _logger);
        return await session.RunAsync(cancellationToken);
    }

    /// <summary>The configured tools that no provider supplied, each named as a user would recognise it.</summary>
    private List<string> MissingTools(AgentConfig config, List<AIFunction> tools)
    {
        var offered = tools.Select(static t => t.Name).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var spec in config.Tools)
        {
            if (spec.Source == "mcp" && spec.EnabledTools is { Count: > 0 } enabled)
            {
                missing.AddRange(enabled.Where(name => !offered.Contains(name)).Select(name => $"the tool '{name}' of MCP server '{spec.ServerId}'"));
            }
            else if (spec.Source == "mcp" && tools.Count == 0)
            {
                // All of a server's tools were asked for; with no tool offered at all, that server is certainly missing.
                missing.Add($"the MCP server '{spec.ServerId}'");
            }
            else if (spec.Type is { } type && !offered.Contains(type))
            {
                // A provider that knows why it does not offer the tool names the setting to change.
                var reason = _toolProviders.OfType<IToolAvailability>().Select(p => p.UnavailableReason(type)).FirstOrDefault(r => r is not null);
                missing.Add(reason is null ? $"the builtin tool '{type}'" : $"the builtin tool '{type}' ({reason})");
            }
        }

        return missing;
    }

    /// <summary>The state of one execution: the conversation, the counters and the limits.</summary>
    private sealed class RunSession
    {
        private const int MaxErrorsInMessage = 10;

        private readonly RunContext _context;
        private readonly IRunEventSink _events;
        private readonly AgentConfig _config;
        private readonly ModelStack _stack;
        private readonly string _goal;
        private readonly List<AIFunction> _tools;
        private readonly TimeProvider _timeProvider;
        private readonly ILogger _logger;
        private readonly List<ChatMessage> _conversation;
        private readonly RunSources _sources;
        private readonly TranscriptCompressor? _compressor;
        private RunUsage _usage;
        private string? _model;

        public RunSession(RunContext context, ModelStack stack, string goal, List<AIFunction> tools, TimeProvider timeProvider, ILogger logger)
        {
            _context = context;
            _events = context.Events;
            _sources = context.Sources;
            _config = context.Revision.Config;
            _stack = stack;
            _goal = goal;
            _tools = tools;
            _timeProvider = timeProvider;
            _logger = logger;
            _usage = context.Events.Usage;
            _model = context.Events.Model;
            _compressor = _config.EnableContextCompression ? new TranscriptCompressor(stack.ContextWindowTokens) : null;
            _conversation =
            [
                new ChatMessage(ChatRole.System, AgentPrompts.System(_config)),
                new ChatMessage(ChatRole.User, AgentPrompts.Task(goal, context.Run.Input)),
            ];
        }

        public async Task<RunOutcome> RunAsync(CancellationToken cancellationToken)
        {
            await PlanAsync(cancellationToken);
            await ActAsync(cancellationToken);
            await CompressIfNeededAsync(cancellationToken);
            var resultData = _config.ResultType == ResultType.Json
                ? await WriteJsonResultAsync(cancellationToken)
                : await WriteDocumentResultAsync(cancellationToken);

            _events.Append(RunEventTypes.Result, AgentryJson.ToElement(new { resultType = _config.ResultType }));
            return new RunOutcome(resultData, _sources.Snapshot(), _usage, _model);
        }

        private async Task PlanAsync(CancellationToken cancellationToken)
        {
            _conversation.Add(new ChatMessage(ChatRole.User, AgentPrompts.Planning(_config)));
            var response = await CallModelAsync(AgentPhase.Planning, NewOptions(AgentPhase.Planning), cancellationToken);
            ReportReasoning(response);
            _conversation.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            _events.Append(RunEventTypes.Planning, AgentryJson.ToElement(new { content = response.Text.Trim() }));
        }

        // Model turns until the model answers without asking for a tool; each turn is a step.
        private async Task ActAsync(CancellationToken cancellationToken)
        {
            _conversation.Add(new ChatMessage(ChatRole.User, AgentPrompts.Acting(_tools.Count > 0)));
            while (true)
            {
                await CompressIfNeededAsync(cancellationToken);
                var options = NewOptions(AgentPhase.Acting);
                if (_tools.Count > 0)
                {
                    options.Tools = [.. _tools];
                    options.ToolMode = ChatToolMode.Auto;
                }

                var response = await CallModelAsync(AgentPhase.Acting, options, cancellationToken);
                _conversation.AddRange(response.Messages);
                var calls = ReportActing(response);
                if (calls.Count == 0)
                {
                    return;
                }

                var results = new List<AIContent>(calls.Count);
                foreach (var call in calls)
                {
                    results.Add(await CallToolAsync(call, cancellationToken));
                }

                _conversation.Add(new ChatMessage(ChatRole.Tool, results));
            }
        }

        // With enableContextCompression, a transcript past the threshold has its older turns summarised by the model.
        private async Task CompressIfNeededAsync(CancellationToken cancellationToken)
        {
            if (_compressor?.Plan(_conversation) is not { } plan)
            {
                return;
            }

            var options = new ChatOptions();
            (NewTurn(AgentPhase.Compression) with { Transcript = plan.Summarised }).AttachTo(options);
            var response = await CallModelAsync(AgentPhase.Compression, TranscriptCompressor.Request(plan), options, cancellationToken);
            var summary = response.Text.Trim();
            if (summary.Length == 0)
            {
                // Dropping the turns for an empty summary would lose them; keep them and let the next turn try again.
                return;
            }

            var tokensAfter = _compressor.Apply(_conversation, plan, summary);
            _events.Append(RunEventTypes.ContextCompression, AgentryJson.ToElement(new { tokensBefore = plan.TokensBefore, tokensAfter, summary }));
        }

        private async Task<JsonElement> WriteDocumentResultAsync(CancellationToken cancellationToken)
        {
            var consulted = _sources.Snapshot();
            _conversation.Add(new ChatMessage(ChatRole.User, AgentPrompts.DocumentResult(_config, consulted)));
            var response = await CallModelAsync(AgentPhase.Result, NewOptions(AgentPhase.Result), cancellationToken);
            ReportReasoning(response);
            var sources = consulted.Select(s => new { url = s.Url, title = s.Title }).ToList();
            return AgentryJson.ToElement(new { result = response.Text.Trim(), sources });
        }

        private async Task<JsonElement> WriteJsonResultAsync(CancellationToken cancellationToken)
        {
            var schema = _config.ResultSchema
                ?? throw new RunFailedException(RunErrorCodes.InvalidResult, "The agent's resultType is json but it has no resultSchema.", _events.LastSeq);
            var validator = ResultValidator.Create(schema, _events.LastSeq);

            _conversation.Add(new ChatMessage(ChatRole.User, AgentPrompts.JsonResult(_config)));
            var first = await AskForJsonAsync(schema, cancellationToken);
            var firstCheck = validator.Check(first.Text);
            if (firstCheck.Value is { } valid)
            {
                return valid;
            }

            // One repair turn: the model sees its own answer and every problem with it.
            Log.RepairingResult(_logger, _context.Run.Id, firstCheck.Problems.Count);
            _conversation.Add(new ChatMessage(ChatRole.Assistant, first.Text));
            _conversation.Add(new ChatMessage(ChatRole.User, AgentPrompts.Repair(firstCheck.Problems)));
            var second = await AskForJsonAsync(schema, cancellationToken);
            var secondCheck = validator.Check(second.Text);
            if (secondCheck.Value is { } repaired)
            {
                return repaired;
            }

            var message = $"The result does not match the resultSchema after one repair attempt: {Summarize(secondCheck.Problems)}";
            var seq = _events.Append(
                RunEventTypes.Error,
                AgentryJson.ToElement(new { code = RunErrorCodes.InvalidResult, message, detail = new { output = second.Text, problems = secondCheck.Problems } }));
            throw new RunFailedException(RunErrorCodes.InvalidResult, message, seq);
        }

        private async Task<ChatResponse> AskForJsonAsync(JsonElement schema, CancellationToken cancellationToken)
        {
            var options = NewOptions(AgentPhase.Result);
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "result", "The result of the run.");
            var response = await CallModelAsync(AgentPhase.Result, options, cancellationToken);
            ReportReasoning(response);
            return response;
        }

        private Task<ChatResponse> CallModelAsync(AgentPhase phase, ChatOptions options, CancellationToken cancellationToken) =>
            CallModelAsync(phase, _conversation, options, cancellationToken);

        private async Task<ChatResponse> CallModelAsync(AgentPhase phase, List<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
        {
            if (_config.Limits.MaxSteps is { } maxSteps && _usage.ModelCalls >= maxSteps)
            {
                throw new RunFailedException(
                    RunErrorCodes.BudgetExceeded,
                    $"The run reached its limit of {maxSteps} steps (model calls) before it finished.",
                    _events.LastSeq);
            }

            // Before a call answers, name the model as its client does, so the in-progress event matches the completed one.
            var modelName = _model ?? _stack.Client.GetService<ChatClientMetadata>()?.DefaultModelId ?? _stack.Model;
            var seq = _events.Append(RunEventTypes.ModelCall, AgentryJson.ToElement(new { model = modelName, phase = PhaseName(phase) }), inProgress: true);
            var started = _timeProvider.GetTimestamp();
            ChatResponse response;
            try
            {
                response = await _stack.Client.GetResponseAsync(messages, options, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The call stops here; close its event so watchers do not see it running forever, then let cancellation through.
                _events.Complete(seq, ModelCallData(modelName, phase, null, started, "cancelled", error: null));
                throw;
            }
            catch (Exception exception) when (exception is not RunFailedException)
            {
                Log.ModelCallFailed(_logger, _context.Run.Id, _stack.Id, exception);
                _events.Complete(seq, ModelCallData(modelName, phase, null, started, "error", exception.Message));
                throw new RunFailedException(RunErrorCodes.ModelError, $"The model call to '{_stack.Id}' failed: {exception.Message}", seq, exception);
            }

            _model = response.ModelId ?? _model ?? _stack.Model;
            var inputTokens = response.Usage?.InputTokenCount ?? 0;
            var outputTokens = response.Usage?.OutputTokenCount ?? 0;
            var cost = _stack.CostOf(inputTokens, outputTokens);
            if (ReferenceEquals(messages, _conversation))
            {
                // The transcript has not grown yet: the provider counted exactly the messages it holds now.
                _compressor?.Observe(_conversation.Count, inputTokens);
            }

            _events.Complete(seq, ModelCallData(_model, phase, (inputTokens, outputTokens, cost), started, FinishReasonName(response.FinishReason), error: null));
            _usage = _usage with
            {
                InputTokens = _usage.InputTokens + inputTokens,
                OutputTokens = _usage.OutputTokens + outputTokens,
                TotalTokens = _usage.TotalTokens + inputTokens + outputTokens,
                CostUsd = _usage.CostUsd + cost,
                ModelCalls = _usage.ModelCalls + 1,
            };
            _events.ReportUsage(_usage, _model);

            if (_config.Limits.MaxTokens is { } maxTokens && _usage.TotalTokens > maxTokens)
            {
                throw new RunFailedException(
                    RunErrorCodes.BudgetExceeded,
                    $"The run used {_usage.TotalTokens} tokens, over its limit of {maxTokens}.",
                    seq);
            }

            if (_config.Limits.MaxCostUsd is { } maxCost && _usage.CostUsd > maxCost)
            {
                throw new RunFailedException(
                    RunErrorCodes.BudgetExceeded,
                    $"The run cost {_usage.CostUsd} USD, over its limit of {maxCost} USD.",
                    seq);
            }

            return response;
        }

        private async Task<FunctionResultContent> CallToolAsync(FunctionCallContent call, CancellationToken cancellationToken)
        {
            var input = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
            using var activity = StartToolActivity(call);
            var seq = _events.Append(RunEventTypes.ToolCall, AgentryJson.ToElement(new { id = call.CallId, name = call.Name, input }), inProgress: true);
            _usage = _usage with { ToolCalls = _usage.ToolCalls + 1 };
            _events.ReportUsage(_usage, _model);

            var tool = _tools.FirstOrDefault(t => string.Equals(t.Name, call.Name, StringComparison.Ordinal));
            if (tool is null)
            {
                var unknown = $"There is no tool named '{call.Name}'. Available tools: {(_tools.Count == 0 ? "none" : string.Join(", ", _tools.Select(t => t.Name)))}.";
                activity?.SetStatus(ActivityStatusCode.Error, unknown).SetTag(AgentryTelemetry.ErrorType, "tool_not_found");
                _events.Complete(seq, AgentryJson.ToElement(new { id = call.CallId, name = call.Name, input, error = unknown }));
                return new FunctionResultContent(call.CallId, unknown);
            }

            try
            {
                var output = await tool.InvokeAsync(new AIFunctionArguments(call.Arguments), cancellationToken);
                var outputElement = JsonSerializer.SerializeToElement(output, AIJsonUtilities.DefaultOptions);
                _events.Complete(seq, AgentryJson.ToElement(new { id = call.CallId, name = call.Name, input, output = outputElement }));
                return new FunctionResultContent(call.CallId, output);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _events.Complete(seq, AgentryJson.ToElement(new { id = call.CallId, name = call.Name, input, error = "cancelled" }));
                throw;
            }
            catch (Exception exception)
            {
                // A failing tool is the model's problem to work around, as with a person's tool: it sees the error and goes on.
                Log.ToolCallFailed(_logger, _context.Run.Id, call.Name, exception);
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message).SetTag(AgentryTelemetry.ErrorType, exception.GetType().FullName);
                _events.Complete(seq, AgentryJson.ToElement(new { id = call.CallId, name = call.Name, input, error = exception.Message }));
                return new FunctionResultContent(call.CallId, $"Error: {exception.Message}") { Exception = exception };
            }
        }

        // The span of one tool call (GenAI semantic conventions), a child of the run's invoke_agent span.
        private static Activity? StartToolActivity(FunctionCallContent call) =>
            AgentryTelemetry.ActivitySource.StartActivity($"execute_tool {call.Name}", ActivityKind.Internal)
                ?.SetTag(AgentryTelemetry.OperationName, "execute_tool")
                .SetTag(AgentryTelemetry.ToolName, call.Name)
                .SetTag(AgentryTelemetry.ToolCallId, call.CallId)
                .SetTag(AgentryTelemetry.ToolType, "function");

        // Reasoning and narration in the order the model wrote them; text between tool calls is one narration.
        private List<FunctionCallContent> ReportActing(ChatResponse response)
        {
            var calls = new List<FunctionCallContent>();
            var narration = new System.Text.StringBuilder();
            void FlushNarration()
            {
                var text = narration.ToString().Trim();
                if (text.Length > 0)
                {
                    _events.Append(RunEventTypes.Narration, AgentryJson.ToElement(new { content = text }));
                }

                narration.Clear();
            }

            foreach (var content in response.Messages.SelectMany(m => m.Contents))
            {
                switch (content)
                {
                    case TextReasoningContent reasoning when !string.IsNullOrWhiteSpace(reasoning.Text):
                        FlushNarration();
                        _events.Append(RunEventTypes.Reasoning, AgentryJson.ToElement(new { content = reasoning.Text.Trim() }));
                        break;
                    case TextContent text:
                        narration.Append(text.Text);
                        break;
                    case FunctionCallContent call:
                        FlushNarration();
                        calls.Add(call);
                        break;
                }
            }

            FlushNarration();
            return calls;
        }

        private void ReportReasoning(ChatResponse response)
        {
            foreach (var reasoning in response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>())
            {
                if (!string.IsNullOrWhiteSpace(reasoning.Text))
                {
                    _events.Append(RunEventTypes.Reasoning, AgentryJson.ToElement(new { content = reasoning.Text.Trim() }));
                }
            }
        }

        private ChatOptions NewOptions(AgentPhase phase)
        {
            var options = new ChatOptions();
            NewTurn(phase).AttachTo(options);
            return options;
        }

        private AgentTurn NewTurn(AgentPhase phase) => new(phase, _goal, _context.Run.Input, _config.ResultType, _sources.Snapshot());

        private JsonElement ModelCallData(string model, AgentPhase phase, (long Input, long Output, decimal Cost)? usage, long started, string finishReason, string? error)
        {
            var durationMs = (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
            return error is null
                ? AgentryJson.ToElement(new
                {
                    model,
                    phase = PhaseName(phase),
                    inputTokens = usage?.Input ?? 0,
                    outputTokens = usage?.Output ?? 0,
                    costUsd = usage?.Cost ?? 0m,
                    durationMs,
                    finishReason,
                })
                : AgentryJson.ToElement(new { model, phase = PhaseName(phase), inputTokens = 0, outputTokens = 0, costUsd = 0m, durationMs, finishReason, error });
        }

        private static string PhaseName(AgentPhase phase) => phase switch
        {
            AgentPhase.Planning => "planning",
            AgentPhase.Acting => "acting",
            AgentPhase.Compression => "compression",
            _ => "result",
        };

        private static string FinishReasonName(ChatFinishReason? reason) =>
            reason is { } known ? known.Value : "unknown";

        private static string Summarize(IReadOnlyList<string> problems) =>
            $"{problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}: {string.Join("; ", problems.Take(MaxErrorsInMessage))}{(problems.Count > MaxErrorsInMessage ? "; …" : string.Empty)}";
    }
}
