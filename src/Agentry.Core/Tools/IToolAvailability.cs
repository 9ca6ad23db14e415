namespace Agentry.Core.Tools;

/// <summary>
/// A tool provider that can say why it does not offer a tool, so the run's <c>tool_unavailable</c> error tells the
/// operator which setting to change instead of only that the tool is missing.
/// </summary>
public interface IToolAvailability
{
    /// <summary>Why <paramref name="toolType"/> is not offered (naming the setting to configure); null when it is or is not this provider's.</summary>
    string? UnavailableReason(string toolType);
}
