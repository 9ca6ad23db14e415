namespace Agentry.JsonSchema;

/// <summary>Thrown by <see cref="JsonSchemaCompiler.Compile"/> when a schema is invalid or a <c>$ref</c> cannot be resolved.</summary>
public sealed class InvalidJsonSchemaException : Exception
{
    /// <summary>Creates the exception for the given problems.</summary>
    public InvalidJsonSchemaException(IReadOnlyList<SchemaError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message and no itemised problems.</summary>
    public InvalidJsonSchemaException()
        : this("The JSON schema is invalid.")
    {
    }

    /// <summary>Creates the exception with a message and no itemised problems.</summary>
    public InvalidJsonSchemaException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message, an inner exception and no itemised problems.</summary>
    public InvalidJsonSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every problem found in the schema, each with a JSON Pointer into the schema.</summary>
    public IReadOnlyList<SchemaError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<SchemaError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0
            ? "The JSON schema is invalid."
            : "The JSON schema is invalid: " + string.Join("; ", errors.Select(e => $"{(e.Path.Length == 0 ? "(root)" : e.Path)}: {e.Message}"));
    }
}
