namespace Agentry.Server.OpenApi;

/// <summary>The request body examples of the document; each must parse as JSON and fit its endpoint (the tests check both).</summary>
internal static class ApiExamples
{
    public const string CreateAgent =
        """
        {
          "name": "Researcher",
          "description": "Researches a topic and writes a short cited report.",
          "modelStackId": "local/offline",
          "goalPrompt": "Research {{topic}} and write a short report.",
          "inputSchema": {
            "type": "object",
            "properties": { "topic": { "type": "string", "minLength": 3 } },
            "required": ["topic"]
          },
          "tools": [{ "source": "builtin", "type": "searchWeb" }],
          "resultType": "document",
          "limits": { "maxSteps": 20, "timeoutSeconds": 300 }
        }
        """;

    public const string UpdateAgent =
        """
        { "description": "Researches a topic in depth.", "goalPrompt": "Research {{topic}} in depth and write a report with sources." }
        """;

    public const string Publish =
        """
        { "revisionId": "rev_01JC7Z3V4W5X6Y7Z8A9B0C1D2E" }
        """;

    public const string StartRun =
        """
        { "topic": "AI in healthcare" }
        """;

    public const string StartBatch =
        """
        { "inputs": [{ "topic": "AI in healthcare" }, { "topic": "Battery recycling" }] }
        """;

    public const string ValidateSchema =
        """
        {
          "schema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": { "topic": { "type": "string", "minLength": 3 }, "depth": { "type": "integer", "maximum": 5 } },
            "required": ["topic"]
          },
          "instance": { "depth": 7 },
          "formatAssertion": true
        }
        """;

    public const string CreateOrganization =
        """
        { "name": "Acme Research" }
        """;

    public const string CreateApiKey =
        """
        { "name": "CI runner", "scopes": ["runs:read", "runs:write"] }
        """;

    public const string CreateDrive =
        """
        { "name": "Handbook" }
        """;

    public const string SetFeedback =
        """
        { "key": "accuracy", "score": 0.8, "comment": "Right figures; one source was out of date." }
        """;
}
