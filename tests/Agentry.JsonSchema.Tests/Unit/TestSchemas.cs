using System.Text.Json;

namespace Agentry.JsonSchema.Tests.Unit;

internal static class TestSchemas
{
    public static JsonElement Json(string json, int maxDepth = 64)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
        return doc.RootElement.Clone();
    }

    public static CompiledSchema Compile(string schema, JsonSchemaOptions? options = null) => JsonSchemaCompiler.Compile(Json(schema), options);

    public static ValidationResult Validate(string schema, string instance, JsonSchemaOptions? options = null) =>
        Compile(schema, options).Validate(Json(instance));

    /// <summary>The realistic agent input schema used by several tests and the benchmark.</summary>
    public const string AgentInput = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["topic", "priority", "contact"],
          "properties": {
            "topic": { "type": "string", "minLength": 3, "maxLength": 200 },
            "priority": { "enum": ["low", "medium", "high"] },
            "retries": { "type": "integer", "minimum": 0, "maximum": 5 },
            "contact": {
              "type": "object",
              "required": ["email"],
              "properties": {
                "email": { "type": "string", "format": "email" },
                "name": { "type": "string" }
              },
              "additionalProperties": false
            },
            "tags": { "type": "array", "items": { "type": "string", "pattern": "^[a-z0-9-]+$" }, "uniqueItems": true }
          }
        }
        """;
}
