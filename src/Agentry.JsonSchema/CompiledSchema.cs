using System.Text.Json;
using Agentry.JsonSchema.Internal;

namespace Agentry.JsonSchema;

/// <summary>
/// A schema compiled once and validated against many times. Immutable: every <see cref="Validate"/> call uses
/// its own evaluation state, so one instance may be shared freely between threads.
/// </summary>
public sealed class CompiledSchema
{
    internal const string InvalidText = "holds text that is not valid Unicode (an unpaired UTF-16 surrogate escape such as \"\\ud800\"), so it cannot be validated";

    private readonly SchemaNode _root;
    private readonly int _maxDepth;
    private readonly TimeSpan _regexTimeout;

    internal CompiledSchema(SchemaNode root, JsonSchemaOptions options)
    {
        _root = root;
        _maxDepth = options.MaxDepth;
        _regexTimeout = options.RegexMatchTimeout;
    }

    /// <summary>Validates <paramref name="instance"/>, reporting every problem in evaluation order.</summary>
    public ValidationResult Validate(JsonElement instance)
    {
        EnsureDefined(instance);
        var errors = new List<SchemaError>();
        var context = new EvaluationContext(_maxDepth, _regexTimeout) { Errors = errors };
        bool valid;
        try
        {
            valid = context.Evaluate(_root, instance, null);
        }
        catch (EvaluationLimitException ex)
        {
            errors.Add(new SchemaError(context.CurrentPath, ex.Keyword, _root.Location, ex.Message));
            valid = false;
        }
        catch (InvalidOperationException) when (context.CurrentPath is { } path)
        {
            // System.Text.Json parses "\ud800" (an unpaired surrogate escape) but refuses to turn it into a string.
            errors.Add(new SchemaError(path, "unicode", _root.Location, InvalidText));
            valid = false;
        }

        if (!valid && errors.Count == 0)
        {
            errors.Add(new SchemaError(string.Empty, "false", _root.Location, "is not valid against the schema"));
        }

        return new ValidationResult(valid, valid ? [] : errors);
    }

    /// <summary>True when <paramref name="instance"/> is valid; faster than <see cref="Validate"/> because no errors are collected.</summary>
    public bool IsValid(JsonElement instance)
    {
        EnsureDefined(instance);
        var context = new EvaluationContext(_maxDepth, _regexTimeout);
        try
        {
            return context.Evaluate(_root, instance, null);
        }
        catch (Exception ex) when (ex is EvaluationLimitException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void EnsureDefined(JsonElement instance)
    {
        if (instance.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The instance is an undefined JsonElement (default value).", nameof(instance));
        }
    }
}
