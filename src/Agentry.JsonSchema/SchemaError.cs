namespace Agentry.JsonSchema;

/// <summary>One problem found in an instance (or, from the compiler, in a schema).</summary>
/// <param name="Path">JSON Pointer into the instance (or schema) where the problem is; "" is the root.</param>
/// <param name="Keyword">The keyword that failed, e.g. <c>required</c>.</param>
/// <param name="SchemaPath">JSON Pointer of the failing keyword in the schema, e.g. <c>#/properties/name/minLength</c>.</param>
/// <param name="Message">Plain-English description a person can act on.</param>
public sealed record SchemaError(string Path, string Keyword, string SchemaPath, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Path.Length == 0 ? "(root)" : Path)}: {Message} [{Keyword} at {SchemaPath}]";
}

/// <summary>The outcome of validating one instance.</summary>
/// <param name="IsValid">True when the instance satisfies the schema.</param>
/// <param name="Errors">Every problem found, in evaluation order; empty when valid.</param>
public sealed record ValidationResult(bool IsValid, IReadOnlyList<SchemaError> Errors);
