namespace Agentry.Core.Tools;

/// <summary>
/// A tool call that failed for a reason the model can act on (a refused address, a 404, a script over its limits).
/// The loop records its message as the <c>tool_call</c> event's error and shows it to the model; the run goes on.
/// </summary>
public sealed class ToolException : Exception
{
    public ToolException()
    {
    }

    public ToolException(string message)
        : base(message)
    {
    }

    public ToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
