using System.Globalization;
using System.Text;
using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Runs;

namespace Agentry.Core.Runtime;

/// <summary>The loop's instructions to the model, one per phase; the agent's custom instructions are appended to their phase.</summary>
internal static class AgentPrompts
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string System(AgentConfig config)
    {
        var builder = new StringBuilder(
            "You are an agent run by Agentry. You work in three phases: you write a short plan, you carry it out " +
            "(calling the tools you are given when they help, and telling the user in a sentence or two what you are doing), " +
            "and you write the result the user asked for. Be accurate; say so when you do not know something.");
        if (!string.IsNullOrWhiteSpace(config.CustomToolCallInstructions))
        {
            builder.Append("\n\nInstructions for using tools:\n").Append(config.CustomToolCallInstructions.Trim());
        }

        return builder.ToString();
    }

    public static string Task(string goal, JsonElement input) =>
        $"Goal:\n{goal}\n\nInput:\n```json\n{JsonSerializer.Serialize(input, Indented)}\n```";

    public static string Planning(AgentConfig config) =>
        WithCustom(
            "Write a short numbered plan (3 to 7 steps) for reaching the goal with the input and tools you have. Answer with the plan only.",
            config.CustomPlanningInstructions);

    public static string Acting(bool hasTools) => hasTools
        ? "Carry out the plan. Call tools when they help, and say briefly what you are doing. When you have what you need, say so without calling a tool."
        : "Carry out the plan. You have no tools in this run: say briefly what you are doing and what you will base the result on.";

    public static string DocumentResult(AgentConfig config, IReadOnlyList<RunSource> sources)
    {
        var builder = new StringBuilder("Write the final result as a Markdown document: a title, then sections. Answer with the document only.");
        if (sources.Count > 0)
        {
            builder.Append(" Cite the sources below as [n] where you use them, and end with a list of them.\n\nSources:\n");
            for (var i = 0; i < sources.Count; i++)
            {
                builder.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {sources[i].Title ?? sources[i].Url} — {sources[i].Url}\n");
            }
        }

        return WithCustom(builder.ToString().TrimEnd(), config.CustomResultInstructions);
    }

    public static string JsonResult(AgentConfig config) =>
        WithCustom("Write the final result as one JSON object that matches the result schema. Answer with the JSON only.", config.CustomResultInstructions);

    public static string Repair(IReadOnlyList<string> problems) =>
        "That answer does not match the result schema:\n- " + string.Join("\n- ", problems) +
        "\nAnswer again with only the corrected JSON object.";

    public const string CompressionInstruction =
        "You condense the earlier part of an AI agent's work so that it can go on with less context. Summarise the transcript " +
        "you are given: the plan, what the agent did, the facts, figures, names and URLs the tools returned that matter for " +
        "the goal, and what is still to do. Be concise and exact; answer with the summary only.";

    public static string CompressionTranscript(IReadOnlyList<string> messages) =>
        "Transcript to summarise, oldest first:\n\n" + string.Join("\n\n", messages);

    public static string CompressedSummary(string summary) =>
        $"Summary of the earlier part of this run (condensed to fit the model's context):\n{summary}";

    private static string WithCustom(string instruction, string? custom) =>
        string.IsNullOrWhiteSpace(custom) ? instruction : $"{instruction}\n\nAdditional instructions:\n{custom.Trim()}";
}
