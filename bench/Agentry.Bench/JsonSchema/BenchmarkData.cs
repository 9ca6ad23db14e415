using System.Globalization;
using System.Text;

namespace Agentry.Bench.JsonSchema;

/// <summary>A realistic agent input schema (30 top-level properties) and instances that satisfy it.</summary>
public static class BenchmarkData
{
    public const string InputSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://agentry.example/schemas/research-input.json",
          "type": "object",
          "required": ["requestId", "topic", "priority", "requester", "createdAt", "language", "depth"],
          "additionalProperties": false,
          "properties": {
            "requestId": { "type": "string", "format": "uuid" },
            "topic": { "type": "string", "minLength": 3, "maxLength": 200 },
            "summary": { "type": "string", "maxLength": 2000 },
            "priority": { "enum": ["low", "medium", "high", "urgent"] },
            "status": { "enum": ["draft", "submitted", "approved"] },
            "language": { "type": "string", "pattern": "^[a-z]{2}(-[A-Z]{2})?$" },
            "depth": { "type": "integer", "minimum": 1, "maximum": 5 },
            "maxSources": { "type": "integer", "minimum": 1, "maximum": 100 },
            "budgetUsd": { "type": "number", "minimum": 0, "multipleOf": 0.01 },
            "temperature": { "type": "number", "minimum": 0, "maximum": 2 },
            "createdAt": { "type": "string", "format": "date-time" },
            "dueDate": { "type": "string", "format": "date" },
            "callbackUrl": { "type": "string", "format": "uri" },
            "homepage": { "type": ["string", "null"], "format": "uri" },
            "clientIp": { "type": "string", "format": "ipv4" },
            "host": { "type": "string", "format": "hostname" },
            "includeImages": { "type": "boolean" },
            "includeCitations": { "type": "boolean" },
            "tone": { "enum": ["neutral", "formal", "casual"] },
            "format": { "enum": ["markdown", "html", "text"] },
            "keywords": { "type": "array", "items": { "type": "string", "minLength": 1, "maxLength": 40 }, "maxItems": 20, "uniqueItems": true },
            "excludeDomains": { "type": "array", "items": { "type": "string", "format": "hostname" } },
            "requester": {
              "type": "object",
              "required": ["name", "email"],
              "additionalProperties": false,
              "properties": {
                "name": { "type": "string", "minLength": 1 },
                "email": { "type": "string", "format": "email" },
                "team": { "type": "string" },
                "role": { "enum": ["analyst", "engineer", "manager"] }
              }
            },
            "address": {
              "type": "object",
              "properties": {
                "street": { "type": "string" },
                "city": { "type": "string" },
                "postcode": { "type": "string", "pattern": "^[0-9A-Z -]{3,10}$" },
                "country": { "type": "string", "minLength": 2, "maxLength": 2 }
              },
              "required": ["city", "country"]
            },
            "sections": {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "object",
                "required": ["title", "weight"],
                "properties": {
                  "title": { "type": "string", "minLength": 1 },
                  "weight": { "type": "number", "exclusiveMinimum": 0, "maximum": 1 },
                  "notes": { "type": "string" }
                }
              }
            },
            "metadata": { "type": "object", "additionalProperties": { "type": "string" }, "maxProperties": 20 },
            "retry": {
              "type": "object",
              "properties": {
                "attempts": { "type": "integer", "minimum": 0, "maximum": 10 },
                "backoff": { "enum": ["none", "linear", "exponential"] }
              }
            },
            "schedule": {
              "oneOf": [
                { "type": "null" },
                { "type": "object", "required": ["cron"], "properties": { "cron": { "type": "string", "pattern": "^(\\S+\\s){4}\\S+$" } } }
              ]
            },
            "version": { "const": 1 },
            "notes": { "type": ["string", "null"] }
          }
        }
        """;

    public static string ValidInput(int seed) => $$"""
        {
          "requestId": "2eb8aa08-aa98-11ea-b4aa-73b441d1{{(seed % 10000).ToString("D4", CultureInfo.InvariantCulture)}}",
          "topic": "Impact of retrieval augmentation on answer quality #{{seed.ToString(CultureInfo.InvariantCulture)}}",
          "summary": "Compare recent papers and summarise the measured effect sizes with citations.",
          "priority": "high",
          "status": "submitted",
          "language": "en-GB",
          "depth": 3,
          "maxSources": 25,
          "budgetUsd": 12.5,
          "temperature": 0.7,
          "createdAt": "2026-11-30T09:15:00Z",
          "dueDate": "2026-12-15",
          "callbackUrl": "https://hooks.example.com/agentry/runs?id={{seed.ToString(CultureInfo.InvariantCulture)}}",
          "homepage": null,
          "clientIp": "192.168.10.{{(seed % 250).ToString(CultureInfo.InvariantCulture)}}",
          "host": "worker-{{(seed % 50).ToString(CultureInfo.InvariantCulture)}}.agentry.example.com",
          "includeImages": false,
          "includeCitations": true,
          "tone": "formal",
          "format": "markdown",
          "keywords": ["retrieval", "rag", "evaluation", "llm"],
          "excludeDomains": ["spam.example.com", "ads.example.net"],
          "requester": { "name": "Ada Lovelace", "email": "ada@example.com", "team": "research", "role": "analyst" },
          "address": { "street": "1 Main St", "city": "London", "postcode": "SW1A 1AA", "country": "GB" },
          "sections": [
            { "title": "Background", "weight": 0.2 },
            { "title": "Findings", "weight": 0.6, "notes": "focus on benchmarks" },
            { "title": "Recommendations", "weight": 0.2 }
          ],
          "metadata": { "source": "api", "client": "sdk-dotnet" },
          "retry": { "attempts": 3, "backoff": "exponential" },
          "schedule": { "cron": "0 9 * * 1" },
          "version": 1,
          "notes": null
        }
        """;

    /// <summary>The array schema: every element must satisfy <see cref="InputSchema"/>.</summary>
    public const string ArraySchema = """
        { "type": "array", "items": { "$ref": "https://agentry.example/schemas/research-input.json" } }
        """;

    /// <summary>An array of valid inputs of at least <paramref name="bytes"/> bytes.</summary>
    public static string LargeArray(int bytes)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; sb.Length < bytes; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(ValidInput(i));
        }

        return sb.Append(']').ToString();
    }
}
