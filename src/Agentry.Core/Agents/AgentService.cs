using System.Text.Json;
using System.Text.Json.Nodes;
using Agentry.Core.Common;
using Agentry.Core.Storage;

namespace Agentry.Core.Agents;

/// <summary>
/// Agents and their revisions (API.md, Agents). Every configuration change makes a new immutable revision; a
/// change of name, description, webhook or <c>isActive</c> alone does not. Every call is scoped to the caller's
/// organization, so another organization's ids answer 404 exactly like ids that do not exist.
/// </summary>
/// <remarks>
/// Deleting is soft. A deleted agent is left out of lists and refuses changes (PATCH, publish) with 404, like
/// an absent one; GET of the agent and of its revisions keeps answering, because API.md keeps its runs
/// readable and refuses new runs with 409 rather than 404 — the agent is still known, just retired.
/// </remarks>
/// <remarks>
/// With an <see cref="IDriveStore"/>, every save checks that the agent's <c>drives</c> are drives of its organization.
/// </remarks>
public sealed class AgentService(IAgentStore store, AgentConfigValidator validator, IdGenerator ids, TimeProvider time, IDriveStore? drives = null)
{
    /// <summary>How often a PATCH is retried when another change to the same agent commits first.</summary>
    private const int MaxUpdateAttempts = 3;

    private const string DefaultName = "Untitled agent";

    /// <summary>The fields a PATCH may set; anything else in the body (ids, times, derived flags) is ignored.</summary>
    private static readonly HashSet<string> WritableFields =
    [
        "name", "description", "modelStackId", "goalPrompt", "inputSchema", "tools", "resultType", "resultSchema",
        "customPlanningInstructions", "customToolCallInstructions", "customResultInstructions",
        "enableContextCompression", "drives", "limits", "webhookUrl", "isActive",
    ];

    /// <summary>Creates an agent and its first revision from the body of <c>POST /v1/agents</c>.</summary>
    /// <exception cref="ProblemException">400 when the body is not an object; 422 with every validation problem.</exception>
    public async Task<AgentResponse> CreateAsync(string organizationId, JsonElement body, CancellationToken cancellationToken)
    {
        var write = ReadWrite(body);
        var valid = validator.Validate(write, await ExistingDrivesAsync(organizationId, write, cancellationToken));
        var now = Now();
        var agentId = ids.New(IdGenerator.Prefix.Agent);
        var revision = new AgentRevision(ids.New(IdGenerator.Prefix.Revision), agentId, organizationId, valid.Config, now);
        var agent = new Agent(
            agentId,
            organizationId,
            valid.Name ?? DefaultName,
            valid.Description,
            valid.WebhookUrl,
            valid.IsActive ?? true,
            revision.Id,
            PublishedRevisionId: null,
            now,
            now,
            DeletedAt: null);
        await store.CreateAsync(agent, revision, cancellationToken);
        return AgentResponse.From(agent, revision);
    }

    /// <summary>The organization's agents that are not deleted, newest first.</summary>
    public async Task<Page<AgentResponse>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken)
    {
        var agents = await store.ListAsync(organizationId, page, cancellationToken);
        var items = new List<AgentResponse>(agents.Items.Count);
        foreach (var agent in agents.Items)
        {
            items.Add(AgentResponse.From(agent, await LatestRevisionAsync(agent, cancellationToken)));
        }

        return new Page<AgentResponse>(items, agents.Total, agents.Limit, agents.Offset);
    }

    /// <summary>One agent, deleted or not (see the remarks on <see cref="AgentService"/>).</summary>
    /// <exception cref="ProblemException">404 when the organization has no such agent.</exception>
    public async Task<AgentResponse> GetAsync(string organizationId, string agentId, CancellationToken cancellationToken)
    {
        var agent = await FindAsync(organizationId, agentId, cancellationToken);
        return AgentResponse.From(agent, await LatestRevisionAsync(agent, cancellationToken));
    }

    /// <summary>
    /// Applies a partial update: each field present in <paramref name="patch"/> replaces the current value whole
    /// (a schema is never merged key by key; <c>null</c> clears an optional field). A configuration that differs
    /// from the latest revision's makes a new revision; other fields change the agent only.
    /// </summary>
    /// <exception cref="ProblemException">400 when the body is not an object, 404 for an unknown or deleted agent,
    /// 409 when concurrent changes keep winning, 422 with every validation problem.</exception>
    public async Task<AgentResponse> UpdateAsync(string organizationId, string agentId, JsonElement patch, CancellationToken cancellationToken)
    {
        RequireObject(patch);
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var agent = await FindLiveAsync(organizationId, agentId, cancellationToken);
            var latest = await LatestRevisionAsync(agent, cancellationToken);
            var write = ReadWrite(Merge(agent, latest, patch));
            var valid = validator.Validate(write, await ExistingDrivesAsync(organizationId, write, cancellationToken));

            var now = NextUpdatedAt(agent);
            var newRevision = ConfigDiff(latest.Config, valid.Config).Count > 0
                ? new AgentRevision(ids.New(IdGenerator.Prefix.Revision), agent.Id, organizationId, valid.Config, now)
                : null;
            var updated = agent with
            {
                Name = valid.Name ?? agent.Name,
                Description = valid.Description,
                WebhookUrl = valid.WebhookUrl,
                IsActive = valid.IsActive ?? agent.IsActive,
                LatestRevisionId = newRevision?.Id ?? agent.LatestRevisionId,
                UpdatedAt = now,
            };
            if (newRevision is null && updated == agent with { UpdatedAt = now })
            {
                return AgentResponse.From(agent, latest);
            }

            if (await store.UpdateAsync(updated, newRevision, agent.UpdatedAt, cancellationToken))
            {
                return AgentResponse.From(updated, newRevision ?? latest);
            }
        }

        throw ProblemException.Conflict($"Agent {agentId} was changed by other requests at the same time; retry.");
    }

    /// <summary>Soft-deletes the agent; deleting a deleted agent changes nothing.</summary>
    /// <exception cref="ProblemException">404 when the organization has no such agent, 409 when concurrent changes keep winning.</exception>
    public async Task DeleteAsync(string organizationId, string agentId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var agent = await FindAsync(organizationId, agentId, cancellationToken);
            if (agent.DeletedAt is not null)
            {
                return;
            }

            var now = NextUpdatedAt(agent);
            if (await store.UpdateAsync(agent with { DeletedAt = now, UpdatedAt = now }, null, agent.UpdatedAt, cancellationToken))
            {
                return;
            }
        }

        throw ProblemException.Conflict($"Agent {agentId} was changed by other requests at the same time; retry.");
    }

    /// <summary>The agent's revisions, newest first.</summary>
    /// <exception cref="ProblemException">404 when the organization has no such agent.</exception>
    public async Task<Page<RevisionSummary>> ListRevisionsAsync(string organizationId, string agentId, PageRequest page, CancellationToken cancellationToken)
    {
        var agent = await FindAsync(organizationId, agentId, cancellationToken);
        var revisions = await store.ListRevisionsAsync(organizationId, agentId, page, cancellationToken);
        var items = revisions.Items.Select(r => new RevisionSummary(r.Id, r.AgentId, r.CreatedAt, r.Id == agent.PublishedRevisionId)).ToList();
        return new Page<RevisionSummary>(items, revisions.Total, revisions.Limit, revisions.Offset);
    }

    /// <summary>One revision with its configuration.</summary>
    /// <exception cref="ProblemException">404 when the agent or the revision is unknown.</exception>
    public async Task<RevisionResponse> GetRevisionAsync(string organizationId, string agentId, string revisionId, CancellationToken cancellationToken)
    {
        var agent = await FindAsync(organizationId, agentId, cancellationToken);
        var revision = await FindRevisionAsync(agent, revisionId, cancellationToken);
        return new RevisionResponse(revision.Id, revision.AgentId, revision.CreatedAt, revision.Id == agent.PublishedRevisionId, revision.Config);
    }

    /// <summary>The configuration fields that differ between revisions <paramref name="from"/> and <paramref name="to"/>.</summary>
    /// <exception cref="ProblemException">400 when either id is missing, 404 when the agent or a revision is unknown.</exception>
    public async Task<RevisionDiff> DiffAsync(string organizationId, string agentId, string? from, string? to, CancellationToken cancellationToken)
    {
        var missing = new List<FieldError>();
        if (string.IsNullOrEmpty(from))
        {
            missing.Add(new FieldError("from", "required", "The query parameter 'from' (a revision id) is required."));
        }

        if (string.IsNullOrEmpty(to))
        {
            missing.Add(new FieldError("to", "required", "The query parameter 'to' (a revision id) is required."));
        }

        if (missing.Count > 0)
        {
            throw ProblemException.BadRequest(AgentConfigValidator.Describe(missing), missing);
        }

        var agent = await FindAsync(organizationId, agentId, cancellationToken);
        var fromRevision = await FindRevisionAsync(agent, from!, cancellationToken);
        var toRevision = await FindRevisionAsync(agent, to!, cancellationToken);
        return new RevisionDiff(fromRevision.Id, toRevision.Id, ConfigDiff(fromRevision.Config, toRevision.Config));
    }

    /// <summary>Publishes <paramref name="revisionId"/>, or the latest revision when it is null; runs then use it by default.</summary>
    /// <exception cref="ProblemException">404 for an unknown or deleted agent or an unknown revision, 409 when concurrent changes keep winning.</exception>
    public async Task<AgentResponse> PublishAsync(string organizationId, string agentId, string? revisionId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var agent = await FindLiveAsync(organizationId, agentId, cancellationToken);
            var revision = await FindRevisionAsync(agent, revisionId ?? agent.LatestRevisionId, cancellationToken);
            var latest = revision.Id == agent.LatestRevisionId ? revision : await LatestRevisionAsync(agent, cancellationToken);
            if (agent.PublishedRevisionId == revision.Id)
            {
                return AgentResponse.From(agent, latest);
            }

            var updated = agent with { PublishedRevisionId = revision.Id, UpdatedAt = NextUpdatedAt(agent) };
            if (await store.UpdateAsync(updated, null, agent.UpdatedAt, cancellationToken))
            {
                return AgentResponse.From(updated, latest);
            }
        }

        throw ProblemException.Conflict($"Agent {agentId} was changed by other requests at the same time; retry.");
    }

    private static void RequireObject(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ProblemException.BadRequest($"The request body must be a JSON object, not {body.ValueKind.ToString().ToLowerInvariant()}.");
        }
    }

    /// <summary>Reads a write, turning a field of the wrong JSON type into a 422 that names it.</summary>
    private static AgentWrite ReadWrite(JsonElement body)
    {
        RequireObject(body);
        try
        {
            return body.Deserialize<AgentWrite>(AgentryJson.Options) ?? new AgentWrite();
        }
        catch (JsonException ex)
        {
            var path = JsonPathToPointer(ex.Path);
            var error = new FieldError(path, "type", $"{(path.Length == 0 ? "(root)" : path)} has the wrong type for this field.");
            throw ProblemException.Unprocessable(ProblemCodes.InvalidAgent, error.Message, [error]);
        }
    }

    /// <summary>"$.tools[0].type" → "/tools/0/type".</summary>
    private static string JsonPathToPointer(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        var pointer = path.TrimStart('$').Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal)
            .Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal);
        return pointer.Replace('.', '/');
    }

    /// <summary>The current agent's writable fields, with the patch's writable fields replacing them one by one.</summary>
    private static JsonElement Merge(Agent agent, AgentRevision latest, JsonElement patch)
    {
        // The Agent object carries every writable field under the name a client writes it with.
        var current = JsonSerializer.SerializeToNode(AgentResponse.From(agent, latest), AgentryJson.Options)!.AsObject();
        var merged = new JsonObject();
        foreach (var (name, value) in current)
        {
            if (WritableFields.Contains(name))
            {
                merged[name] = value?.DeepClone();
            }
        }

        foreach (var property in patch.EnumerateObject())
        {
            if (WritableFields.Contains(property.Name))
            {
                merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        return JsonSerializer.SerializeToElement(merged, AgentryJson.Options);
    }

    /// <summary>Every configuration field whose JSON differs, in declaration order.</summary>
    private static Dictionary<string, FieldChange> ConfigDiff(AgentConfig from, AgentConfig to)
    {
        var fromJson = AgentryJson.ToElement(from);
        var toJson = AgentryJson.ToElement(to);
        var diff = new Dictionary<string, FieldChange>(StringComparer.Ordinal);
        foreach (var property in fromJson.EnumerateObject())
        {
            var other = toJson.GetProperty(property.Name);
            if (!JsonElement.DeepEquals(property.Value, other))
            {
                diff[property.Name] = new FieldChange(property.Value, other);
            }
        }

        return diff;
    }

    /// <summary>Which of the write's drive ids are drives of the organization; null (nothing to check) without a drive store.</summary>
    private async Task<IReadOnlySet<string>?> ExistingDrivesAsync(string organizationId, AgentWrite write, CancellationToken cancellationToken)
    {
        var named = write.Drives?.Select(d => d?.DriveId).OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (drives is null || named is not { Count: > 0 })
        {
            return null;
        }

        return await drives.FindDrivesAsync(organizationId, named, cancellationToken);
    }

    private async Task<Agent> FindAsync(string organizationId, string agentId, CancellationToken cancellationToken) =>
        await store.GetAsync(organizationId, agentId, cancellationToken) ?? throw ProblemException.NotFound($"Agent {agentId}");

    private async Task<Agent> FindLiveAsync(string organizationId, string agentId, CancellationToken cancellationToken)
    {
        var agent = await FindAsync(organizationId, agentId, cancellationToken);
        return agent.DeletedAt is null ? agent : throw ProblemException.NotFound($"Agent {agentId}");
    }

    private async Task<AgentRevision> FindRevisionAsync(Agent agent, string revisionId, CancellationToken cancellationToken) =>
        await store.GetRevisionAsync(agent.OrganizationId, agent.Id, revisionId, cancellationToken)
            ?? throw ProblemException.NotFound($"Revision {revisionId} of agent {agent.Id}");

    private async Task<AgentRevision> LatestRevisionAsync(Agent agent, CancellationToken cancellationToken) =>
        await store.GetRevisionAsync(agent.OrganizationId, agent.Id, agent.LatestRevisionId, cancellationToken)
            ?? throw new InvalidOperationException($"Agent {agent.Id} names latest revision {agent.LatestRevisionId}, which the store does not have.");

    /// <summary>
    /// A change's <c>updatedAt</c>, at millisecond precision (as stored) and strictly after the agent's, so two
    /// changes within one millisecond still carry different concurrency tokens.
    /// </summary>
    private DateTimeOffset NextUpdatedAt(Agent agent)
    {
        var now = Now();
        return now > agent.UpdatedAt ? now : agent.UpdatedAt.AddMilliseconds(1);
    }

    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
