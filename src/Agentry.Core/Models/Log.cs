using Microsoft.Extensions.Logging;

namespace Agentry.Core.Models;

/// <summary>The log messages of model stacks and providers.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Model stack {StackId} is unavailable: {Reason}")]
    public static partial void StackUnavailable(ILogger logger, string stackId, string reason);
}
