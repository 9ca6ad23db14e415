using System.Globalization;
using System.Text.Json;

namespace Agentry.Client;

public sealed partial class AgentryClient
{
    /// <summary>Creates an organization with its first admin key (<c>POST /v1/organizations</c>; needs the <c>system</c> scope).</summary>
    /// <param name="name">The organization's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The organization with its admin key's secret, shown only here.</returns>
    public Task<CreatedOrganization> CreateOrganizationAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedOrganization>(HttpMethod.Post, "v1/organizations", () => JsonContent(new { name }), cancellationToken);

    /// <summary>Lists every organization, oldest first (<c>GET /v1/organizations</c>; needs the <c>system</c> scope).</summary>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<Organization>> ListOrganizationsAsync(int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<Organization>>(HttpMethod.Get, "v1/organizations" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Creates an API key in the caller's organization (<c>POST /v1/api-keys</c>; needs <c>admin</c>).</summary>
    /// <param name="name">A name that says what the key is for.</param>
    /// <param name="scopes">Its scopes: <c>runs:read</c>, <c>runs:write</c>, <c>agents:write</c>, <c>admin</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The key with its secret, shown only here.</returns>
    public Task<CreatedApiKey> CreateApiKeyAsync(string name, IEnumerable<string> scopes, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedApiKey>(HttpMethod.Post, "v1/api-keys", () => JsonContent(new { name, scopes = scopes?.ToList() }), cancellationToken);

    /// <summary>Lists the organization's active keys, oldest first, without secrets (<c>GET /v1/api-keys</c>; needs <c>admin</c>).</summary>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<ApiKey>> ListApiKeysAsync(int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<ApiKey>>(HttpMethod.Get, "v1/api-keys" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Revokes a key; it answers 401 from then on (<c>DELETE /v1/api-keys/{keyId}</c>; needs <c>admin</c>).</summary>
    /// <param name="keyId">The key's id (<c>key_…</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the key is revoked.</returns>
    public Task RevokeApiKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"v1/api-keys/{Escape(keyId)}", cancellationToken);

    /// <summary>Creates an agent and its first revision (<c>POST /v1/agents</c>; needs <c>agents:write</c>).</summary>
    /// <param name="definition">The agent; <c>modelStackId</c>, <c>goalPrompt</c>, <c>inputSchema</c> and <c>resultType</c> are required.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="AgentryApiException"><c>invalid_agent</c> or <c>invalid_schema</c> (422) naming every problem.</exception>
    public Task<Agent> CreateAgentAsync(AgentDefinition definition, CancellationToken cancellationToken = default) =>
        CreateAgentFromJsonAsync(ToJson(definition ?? throw new ArgumentNullException(nameof(definition))), cancellationToken);

    /// <summary>Creates an agent from its JSON body, as API.md shows it (for agents kept in files).</summary>
    /// <param name="definition">The agent as a JSON object.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="AgentryApiException"><c>invalid_agent</c> or <c>invalid_schema</c> (422) naming every problem.</exception>
    public Task<Agent> CreateAgentFromJsonAsync(JsonElement definition, CancellationToken cancellationToken = default) =>
        SendAsync<Agent>(HttpMethod.Post, "v1/agents", () => JsonContent(definition), cancellationToken);

    /// <summary>Lists the organization's agents that are not deleted, newest first (<c>GET /v1/agents</c>).</summary>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<Agent>> ListAgentsAsync(int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<Agent>>(HttpMethod.Get, "v1/agents" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Gets an agent with the configuration of its latest revision (<c>GET /v1/agents/{agentId}</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="AgentryApiException"><c>not_found</c> (404).</exception>
    public Task<Agent> GetAgentAsync(string agentId, CancellationToken cancellationToken = default) =>
        SendAsync<Agent>(HttpMethod.Get, $"v1/agents/{Escape(agentId)}", null, cancellationToken);

    /// <summary>
    /// Changes the fields of <paramref name="changes"/> that are not null (<c>PATCH /v1/agents/{agentId}</c>); a
    /// configuration change makes a new revision, a change of name or description alone does not.
    /// </summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="changes">The fields to change.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agent as it is now.</returns>
    public Task<Agent> UpdateAgentAsync(string agentId, AgentDefinition changes, CancellationToken cancellationToken = default) =>
        UpdateAgentFromJsonAsync(agentId, ToJson(changes ?? throw new ArgumentNullException(nameof(changes))), cancellationToken);

    /// <summary>Changes an agent with a JSON merge of <paramref name="changes"/> (an explicit null clears a field).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="changes">The fields to change, as a JSON object.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agent as it is now.</returns>
    public Task<Agent> UpdateAgentFromJsonAsync(string agentId, JsonElement changes, CancellationToken cancellationToken = default) =>
        SendAsync<Agent>(HttpMethod.Patch, $"v1/agents/{Escape(agentId)}", () => JsonContent(changes), cancellationToken);

    /// <summary>Soft-deletes an agent: its runs stay readable, new runs are refused (<c>DELETE /v1/agents/{agentId}</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the agent is deleted.</returns>
    public Task DeleteAgentAsync(string agentId, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"v1/agents/{Escape(agentId)}", cancellationToken);

    /// <summary>Lists an agent's revisions, newest first (<c>GET /v1/agents/{agentId}/revisions</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<AgentRevisionSummary>> ListRevisionsAsync(string agentId, int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<AgentRevisionSummary>>(
            HttpMethod.Get, $"v1/agents/{Escape(agentId)}/revisions" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Gets one revision with its configuration (<c>GET /v1/agents/{agentId}/revisions/{revisionId}</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="revisionId">The revision's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revision.</returns>
    public Task<AgentRevision> GetRevisionAsync(string agentId, string revisionId, CancellationToken cancellationToken = default) =>
        SendAsync<AgentRevision>(HttpMethod.Get, $"v1/agents/{Escape(agentId)}/revisions/{Escape(revisionId)}", null, cancellationToken);

    /// <summary>The configuration fields that differ between two revisions (<c>GET /v1/agents/{agentId}/revisions/diff</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="from">The revision to compare from; the server's default when null.</param>
    /// <param name="to">The revision to compare to; the server's default when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The differing fields.</returns>
    public Task<AgentRevisionDiff> DiffRevisionsAsync(string agentId, string? from = null, string? to = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentRevisionDiff>(HttpMethod.Get, $"v1/agents/{Escape(agentId)}/revisions/diff" + Query(("from", from), ("to", to)), null, cancellationToken);

    /// <summary>Publishes a revision, which runs then use by default (<c>POST /v1/agents/{agentId}/publish</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="revisionId">The revision to publish; the latest when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agent as it is now.</returns>
    public Task<Agent> PublishAgentAsync(string agentId, string? revisionId = null, CancellationToken cancellationToken = default) =>
        SendAsync<Agent>(HttpMethod.Post, $"v1/agents/{Escape(agentId)}/publish", () => JsonContent(new { revisionId }), cancellationToken);

    /// <summary>Lists the node's model stacks with whether each is available (<c>GET /v1/model-stacks</c>).</summary>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<ModelStackInfo>> ListModelStacksAsync(int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<ModelStackInfo>>(HttpMethod.Get, "v1/model-stacks" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Lists the node's MCP servers with their tools (<c>GET /v1/mcp-servers</c>).</summary>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<McpServer>> ListMcpServersAsync(int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<McpServer>>(HttpMethod.Get, "v1/mcp-servers" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Validates <paramref name="instance"/> against <paramref name="schema"/> on the server (<c>POST /v1/schemas/validate</c>).</summary>
    /// <param name="schema">A JSON Schema (2020-12, or draft-07 by <c>$schema</c>).</param>
    /// <param name="instance">The value to validate.</param>
    /// <param name="options">Format assertion and referenced documents; the server's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether it is valid, and every violation.</returns>
    /// <exception cref="AgentryApiException"><c>invalid_schema</c> (422) when the schema itself is invalid.</exception>
    public Task<SchemaValidationResult> ValidateSchemaAsync(JsonElement schema, JsonElement instance, SchemaValidationOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync<SchemaValidationResult>(
            HttpMethod.Post,
            "v1/schemas/validate",
            () => JsonContent(new { schema, instance, formatAssertion = options?.FormatAssertion, documents = options?.Documents }),
            cancellationToken);

    /// <summary>
    /// Whether the node is ready (<c>GET /readyz</c>, no key needed): its store is reachable and its workers take runs.
    /// A node that is not ready answers rather than throws; nothing is retried.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The readiness with each check.</returns>
    /// <exception cref="AgentryApiException">The server answered something other than 200 or 503.</exception>
    public async Task<ServerReadiness> GetReadinessAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, "readyz"));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.ServiceUnavailable))
        {
            throw await ReadProblemAsync(response, ReadRetryAfter(response), cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var readiness = JsonSerializer.Deserialize<ServerReadiness>(body, Json) ?? new ServerReadiness();
        return readiness with { Ready = response.StatusCode == System.Net.HttpStatusCode.OK };
    }

    private static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
