using System.Text.Json;
using Agentry.Core.Runs;
using Agentry.JsonSchema;

namespace Agentry.Core.Runtime;

/// <summary>Parses a model's JSON answer and checks it against the agent's <c>resultSchema</c>.</summary>
internal sealed class ResultValidator
{
    // Formats are asserted: a client reading a "date-time" field of a result should be able to parse it.
    private static readonly JsonSchemaOptions Options = new() { FormatAssertion = true };

    private readonly CompiledSchema _schema;

    private ResultValidator(CompiledSchema schema) => _schema = schema;

    /// <summary>Compiles the schema; a schema that does not compile fails the run with <c>invalid_result</c>.</summary>
    public static ResultValidator Create(JsonElement resultSchema, int eventSeq)
    {
        try
        {
            return new ResultValidator(JsonSchemaCompiler.Compile(resultSchema, Options));
        }
        catch (InvalidJsonSchemaException exception)
        {
            throw new RunFailedException(RunErrorCodes.InvalidResult, $"The agent's resultSchema cannot be used: {exception.Message}", eventSeq, exception);
        }
    }

    /// <summary>The parsed value when <paramref name="text"/> is JSON that matches the schema; otherwise every problem, as "path: message".</summary>
    public ResultCheck Check(string text)
    {
        JsonElement value;
        try
        {
            value = Parse(text);
        }
        catch (JsonException exception)
        {
            return new ResultCheck(null, [$"(root): the answer is not valid JSON ({exception.Message})"]);
        }

        var result = _schema.Validate(value);
        return result.IsValid
            ? new ResultCheck(value, [])
            : new ResultCheck(null, [.. result.Errors.Select(e => $"{(e.Path.Length == 0 ? "(root)" : e.Path)}: {e.Message}")]);
    }

    // Models asked for JSON sometimes still wrap it in a Markdown code fence; the content is what counts.
    private static JsonElement Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
            var fenceEnd = trimmed.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLineEnd > 0 && fenceEnd > firstLineEnd)
            {
                trimmed = trimmed[(firstLineEnd + 1)..fenceEnd].Trim();
            }
        }

        using var document = JsonDocument.Parse(trimmed);
        return document.RootElement.Clone();
    }
}

/// <summary>The outcome of <see cref="ResultValidator.Check"/>: the value, or the problems.</summary>
internal sealed record ResultCheck(JsonElement? Value, IReadOnlyList<string> Problems);
