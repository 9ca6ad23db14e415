namespace Agentry.JsonSchema;

/// <summary>The JSON Schema drafts this library understands.</summary>
public enum JsonSchemaDraft
{
    /// <summary>Draft 2020-12, the default when a schema has no <c>$schema</c>.</summary>
    Draft202012,

    /// <summary>Draft-07.</summary>
    Draft7,
}
