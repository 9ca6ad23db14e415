using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

// IAgentStore is implemented explicitly: its GetAsync(organizationId, id) has the same parameters as IRunStore's.
public sealed partial class SqliteStore
{
    private const string AgentColumns =
        "id, organization_id, name, description, webhook_url, is_active, latest_revision_id, published_revision_id, created_at, updated_at, deleted_at";

    private const string RevisionColumns = "id, agent_id, organization_id, config, created_at";

    Task IAgentStore.CreateAsync(Agent agent, AgentRevision firstRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(firstRevision);
        return WriteAsync(
            transaction =>
            {
                using (var insert = Command(
                           transaction,
                           $"""
                           INSERT INTO agents ({AgentColumns})
                           VALUES ($id, $organization_id, $name, $description, $webhook_url, $is_active, $latest_revision_id,
                                   $published_revision_id, $created_at, $updated_at, $deleted_at)
                           """,
                           AgentParameters(agent)))
                {
                    insert.ExecuteNonQuery();
                }

                InsertRevision(transaction, firstRevision);
                return true;
            },
            cancellationToken);
    }

    Task<Agent?> IAgentStore.GetAsync(string organizationId, string agentId, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"SELECT {AgentColumns} FROM agents WHERE id = $id AND organization_id = $organization_id",
                    ("$id", agentId),
                    ("$organization_id", organizationId));
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadAgent(reader) : null;
            },
            cancellationToken);

    Task<Page<Agent>> IAgentStore.ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                long total;
                using (var count = Command(
                           transaction,
                           "SELECT COUNT(*) FROM agents WHERE organization_id = $organization_id AND deleted_at IS NULL",
                           ("$organization_id", organizationId)))
                {
                    total = (long)count.ExecuteScalar()!;
                }

                using var command = Command(
                    transaction,
                    $"""
                    SELECT {AgentColumns} FROM agents
                    WHERE organization_id = $organization_id AND deleted_at IS NULL
                    ORDER BY id DESC LIMIT $limit OFFSET $offset
                    """,
                    ("$organization_id", organizationId),
                    ("$limit", page.Limit),
                    ("$offset", page.Offset));
                var agents = new List<Agent>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    agents.Add(ReadAgent(reader));
                }

                return new Page<Agent>(agents, total, page.Limit, page.Offset);
            },
            cancellationToken);

    Task<bool> IAgentStore.UpdateAsync(Agent agent, AgentRevision? newRevision, DateTimeOffset expectedUpdatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return WriteAsync(
            transaction =>
            {
                using (var update = Command(
                           transaction,
                           """
                           UPDATE agents SET name = $name, description = $description, webhook_url = $webhook_url,
                               is_active = $is_active, latest_revision_id = $latest_revision_id,
                               published_revision_id = $published_revision_id, created_at = $created_at,
                               updated_at = $updated_at, deleted_at = $deleted_at
                           WHERE id = $id AND organization_id = $organization_id AND updated_at = $expected_updated_at
                           """,
                           [.. AgentParameters(agent), ("$expected_updated_at", SqliteValues.Time(expectedUpdatedAt))]))
                {
                    if (update.ExecuteNonQuery() == 0)
                    {
                        return false;
                    }
                }

                if (newRevision is not null)
                {
                    InsertRevision(transaction, newRevision);
                }

                return true;
            },
            cancellationToken);
    }

    Task<AgentRevision?> IAgentStore.GetRevisionAsync(string organizationId, string agentId, string revisionId, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"""
                    SELECT {RevisionColumns} FROM agent_revisions
                    WHERE id = $id AND agent_id = $agent_id AND organization_id = $organization_id
                    """,
                    ("$id", revisionId),
                    ("$agent_id", agentId),
                    ("$organization_id", organizationId));
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadRevision(reader) : null;
            },
            cancellationToken);

    Task<Page<AgentRevision>> IAgentStore.ListRevisionsAsync(string organizationId, string agentId, PageRequest page, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                long total;
                using (var count = Command(
                           transaction,
                           "SELECT COUNT(*) FROM agent_revisions WHERE agent_id = $agent_id AND organization_id = $organization_id",
                           ("$agent_id", agentId),
                           ("$organization_id", organizationId)))
                {
                    total = (long)count.ExecuteScalar()!;
                }

                using var command = Command(
                    transaction,
                    $"""
                    SELECT {RevisionColumns} FROM agent_revisions
                    WHERE agent_id = $agent_id AND organization_id = $organization_id
                    ORDER BY id DESC LIMIT $limit OFFSET $offset
                    """,
                    ("$agent_id", agentId),
                    ("$organization_id", organizationId),
                    ("$limit", page.Limit),
                    ("$offset", page.Offset));
                var revisions = new List<AgentRevision>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    revisions.Add(ReadRevision(reader));
                }

                return new Page<AgentRevision>(revisions, total, page.Limit, page.Offset);
            },
            cancellationToken);

    private static (string Name, object? Value)[] AgentParameters(Agent agent) =>
    [
        ("$id", agent.Id),
        ("$organization_id", agent.OrganizationId),
        ("$name", agent.Name),
        ("$description", agent.Description),
        ("$webhook_url", agent.WebhookUrl),
        ("$is_active", agent.IsActive),
        ("$latest_revision_id", agent.LatestRevisionId),
        ("$published_revision_id", agent.PublishedRevisionId),
        ("$created_at", SqliteValues.Time(agent.CreatedAt)),
        ("$updated_at", SqliteValues.Time(agent.UpdatedAt)),
        ("$deleted_at", SqliteValues.Time(agent.DeletedAt)),
    ];

    private static void InsertRevision(SqliteTransaction transaction, AgentRevision revision)
    {
        using var insert = Command(
            transaction,
            $"INSERT INTO agent_revisions ({RevisionColumns}) VALUES ($id, $agent_id, $organization_id, $config, $created_at)",
            ("$id", revision.Id),
            ("$agent_id", revision.AgentId),
            ("$organization_id", revision.OrganizationId),
            ("$config", SqliteValues.Json(revision.Config)),
            ("$created_at", SqliteValues.Time(revision.CreatedAt)));
        insert.ExecuteNonQuery();
    }

    private static Agent ReadAgent(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetNullableString(3),
        reader.GetNullableString(4),
        reader.GetBoolean(5),
        reader.GetString(6),
        reader.GetNullableString(7),
        reader.GetTime(8),
        reader.GetTime(9),
        reader.GetNullableTime(10));

    private static AgentRevision ReadRevision(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetJson<AgentConfig>(3),
        reader.GetTime(4));
}
