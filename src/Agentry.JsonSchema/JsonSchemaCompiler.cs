using System.Text.Json;
using Agentry.JsonSchema.Internal;

namespace Agentry.JsonSchema;

/// <summary>Compiles JSON Schema documents (draft 2020-12 and draft-07) into reusable validators.</summary>
public static class JsonSchemaCompiler
{
    /// <summary>
    /// Checks <paramref name="schema"/> against its draft's meta-schema, resolves every reachable <c>$ref</c> and
    /// compiles it. Throws <see cref="InvalidJsonSchemaException"/> listing every problem otherwise.
    /// </summary>
    public static CompiledSchema Compile(JsonElement schema, JsonSchemaOptions? options = null)
    {
        options ??= JsonSchemaOptions.Default;
        var (compiled, errors) = CompileCore(schema, options);
        return errors.Count > 0 ? throw new InvalidJsonSchemaException(errors) : compiled!;
    }

    /// <summary>The problems <see cref="Compile"/> would report; empty when the schema is valid.</summary>
    public static IReadOnlyList<SchemaError> CheckSchema(JsonElement schema, JsonSchemaOptions? options = null) =>
        CompileCore(schema, options ?? JsonSchemaOptions.Default).Errors;

    private static (CompiledSchema? Schema, List<SchemaError> Errors) CompileCore(JsonElement schema, JsonSchemaOptions options)
    {
        if (options.MaxDepth < 1)
        {
            throw new ArgumentException("MaxDepth must be at least 1.", nameof(options));
        }

        if (schema.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The schema is an undefined JsonElement (default value).", nameof(schema));
        }

        // A private copy: the caller may dispose its JsonDocument while the compiled schema lives on.
        schema = schema.Clone();
        var errors = new List<SchemaError>();
        try
        {
            var metaErrors = CheckAgainstMetaSchema(schema, options, errors);
            if (metaErrors)
            {
                return (null, errors);
            }

            var (root, compileErrors) = SchemaCompilation.Compile(schema, options);
            return compileErrors.Count > 0 ? (null, compileErrors) : (new CompiledSchema(root, options), errors);
        }
        catch (InvalidOperationException)
        {
            // Only System.Text.Json throws this here: a string with an unpaired surrogate escape cannot be read.
            return (null, [new SchemaError(string.Empty, "unicode", "#", "the schema " + CompiledSchema.InvalidText)]);
        }
    }

    private static bool CheckAgainstMetaSchema(JsonElement schema, JsonSchemaOptions options, List<SchemaError> errors)
    {
        var dialect = SchemaCompilation.DetectDialect(schema, options, errors);
        if (errors.Count > 0)
        {
            return true;
        }

        CompiledSchema meta;
        if (Dialect.FromKnownUri(dialect.MetaSchemaUri) is { } builtIn)
        {
            meta = MetaSchemas.ValidatorFor(builtIn);
        }
        else if (options.Registry is { } registry && registry.TryGet(dialect.MetaSchemaUri, out var custom))
        {
            var (root, metaCompileErrors) = SchemaCompilation.Compile(custom, options, dialect.MetaSchemaUri);
            if (metaCompileErrors.Count > 0)
            {
                errors.AddRange(metaCompileErrors);
                return true;
            }

            meta = new CompiledSchema(root, options);
        }
        else
        {
            return false;
        }

        var result = meta.Validate(schema);
        errors.AddRange(result.Errors);
        return errors.Count > 0;
    }
}
