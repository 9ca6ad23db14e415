namespace Agentry.JsonSchema;

/// <summary>Settings for compiling and validating schemas. Treat an instance as immutable once it has been used.</summary>
public sealed class JsonSchemaOptions
{
    /// <summary>When true, <c>format</c> is asserted (an unknown format is still ignored); by default it is only an annotation.</summary>
    public bool FormatAssertion { get; init; }

    /// <summary>Documents that <c>$ref</c> may reach by absolute URI. Nothing is ever fetched from the network.</summary>
    public JsonSchemaRegistry? Registry { get; init; }

    /// <summary>The draft used when a schema has no <c>$schema</c>; null means draft 2020-12.</summary>
    public JsonSchemaDraft? DefaultDraft { get; init; }

    /// <summary>
    /// How deeply schema evaluation may nest (each subschema applied counts one level). Hostile instances or
    /// schemas nested deeper end with a validation error instead of exhausting the stack.
    /// </summary>
    public int MaxDepth { get; init; } = 512;

    /// <summary>How long one <c>pattern</c>/<c>patternProperties</c> match may run before it is reported as too slow.</summary>
    public TimeSpan RegexMatchTimeout { get; init; } = TimeSpan.FromSeconds(1);

    internal static JsonSchemaOptions Default { get; } = new();
}
