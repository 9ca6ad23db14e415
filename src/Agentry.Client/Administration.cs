using System.Text.Json;

namespace Agentry.Client;

/// <summary>An organization.</summary>
public sealed record Organization
{
    /// <summary>Its id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A new organization with its first admin key, whose secret is shown only here.</summary>
public sealed record CreatedOrganization
{
    /// <summary>Its id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The secret of its first admin key.</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKey
{
    /// <summary>Its id (<c>key_…</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its scopes: <c>runs:read</c>, <c>runs:write</c>, <c>agents:write</c>, <c>admin</c>, <c>system</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A new API key with its secret, which is shown only here.</summary>
public sealed record CreatedApiKey
{
    /// <summary>Its id (<c>key_…</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The secret to send as <c>X-API-Key</c>.</summary>
    public string Key { get; init; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A configured model stack or alias.</summary>
public sealed record ModelStackInfo
{
    /// <summary>Its id, such as <c>local/offline</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>The provider (<c>openai</c>, <c>anthropic</c>, <c>ollama</c>, <c>local</c>); null when unresolved.</summary>
    public string? Provider { get; init; }

    /// <summary>The model; null when unresolved.</summary>
    public string? Model { get; init; }

    /// <summary>Whether runs can use it now.</summary>
    public bool Available { get; init; }

    /// <summary>Why it is not available; null when it is.</summary>
    public string? Reason { get; init; }

    /// <summary>The stack an alias (such as <c>default</c>) resolves to; null for a stack.</summary>
    public string? AliasOf { get; init; }
}

/// <summary>A configured MCP server with its tools.</summary>
public sealed record McpServer
{
    /// <summary>Its id, used in an agent's <c>{source:"mcp", serverId}</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary><c>stdio</c> or <c>http</c>.</summary>
    public string Transport { get; init; } = "";

    /// <summary>Whether it could be reached.</summary>
    public bool Available { get; init; }

    /// <summary>Why it cannot be reached; null when it can.</summary>
    public string? Reason { get; init; }

    /// <summary>Its tools.</summary>
    public IReadOnlyList<McpTool> Tools { get; init; } = [];
}

/// <summary>A tool of an MCP server.</summary>
public sealed record McpTool
{
    /// <summary>The tool's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>What it does; null when not described.</summary>
    public string? Description { get; init; }
}

/// <summary>Extra settings of <see cref="AgentryClient.ValidateSchemaAsync"/>.</summary>
public sealed record SchemaValidationOptions
{
    /// <summary>Whether <c>format</c> is asserted; the server's default (true) when null.</summary>
    public bool? FormatAssertion { get; init; }

    /// <summary>Schemas that <c>$ref</c> may reach, by absolute URI (nothing is fetched over the network).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Documents { get; init; }
}

/// <summary>The outcome of validating an instance against a schema.</summary>
public sealed record SchemaValidationResult
{
    /// <summary>Whether the instance is valid.</summary>
    public bool Valid { get; init; }

    /// <summary>Every violation; empty when valid.</summary>
    public IReadOnlyList<SchemaValidationError> Errors { get; init; } = [];
}

/// <summary>One violation of a schema.</summary>
public sealed record SchemaValidationError
{
    /// <summary>A JSON Pointer into the instance.</summary>
    public string Path { get; init; } = "";

    /// <summary>The keyword that failed.</summary>
    public string Keyword { get; init; } = "";

    /// <summary>A JSON Pointer into the schema, to the keyword.</summary>
    public string SchemaPath { get; init; } = "";

    /// <summary>What is wrong.</summary>
    public string Message { get; init; } = "";
}

/// <summary>Whether a server node is ready to serve and run (<c>GET /readyz</c>), and why not.</summary>
public sealed record ServerReadiness
{
    /// <summary>True when the node answered 200 (store reachable, workers taking runs); false when it answered 503.</summary>
    public bool Ready { get; init; }

    /// <summary>The overall status: <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>Each check by name (<c>store</c>, <c>workers</c>, …) with its status, description and figures.</summary>
    public IReadOnlyDictionary<string, ReadinessCheck> Checks { get; init; } = new Dictionary<string, ReadinessCheck>();
}

/// <summary>One check of <see cref="ServerReadiness"/>.</summary>
public sealed record ReadinessCheck
{
    /// <summary><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>What the check found, for a person; null when it said nothing.</summary>
    public string? Description { get; init; }

    /// <summary>Figures the check reported (such as the queue depth); an empty object when none.</summary>
    public JsonElement Data { get; init; }
}
