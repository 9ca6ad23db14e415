using Microsoft.Extensions.Logging;

namespace Agentry.Core.Runtime;

/// <summary>The log messages of the agent runtime.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Run {RunId}: the model call to stack {StackId} failed")]
    public static partial void ModelCallFailed(ILogger logger, string runId, string stackId, Exception exception);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Run {RunId}: tool {ToolName} failed; the model is told and goes on")]
    public static partial void ToolCallFailed(ILogger logger, string runId, string toolName, Exception exception);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Run {RunId}: the JSON result has {ProblemCount} problems; asking the model to repair it")]
    public static partial void RepairingResult(ILogger logger, string runId, int problemCount);
}
