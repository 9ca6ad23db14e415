namespace Agentry.Sqlite;

/// <summary>
/// The schema as an ordered list of migrations. Migration <c>n</c> (1-based) takes the file from
/// <c>PRAGMA user_version = n - 1</c> to <c>n</c>. Never edit a shipped migration; append a new one.
/// </summary>
/// <remarks>
/// Times are INTEGER unix milliseconds (UTC), which round-trip the API's millisecond precision exactly and
/// compare as numbers. Costs are TEXT so a <see cref="decimal"/> round-trips without binary rounding.
/// JSON values (input, result, sources, metadata, event data, agent configuration) are TEXT.
/// </remarks>
internal static class SqliteSchema
{
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE organizations (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            organization_id TEXT NOT NULL REFERENCES organizations (id),
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            scopes TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        CREATE INDEX ix_api_keys_organization ON api_keys (organization_id, id);

        CREATE TABLE agents (
            id TEXT NOT NULL PRIMARY KEY,
            organization_id TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT,
            webhook_url TEXT,
            is_active INTEGER NOT NULL,
            latest_revision_id TEXT NOT NULL,
            published_revision_id TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER
        );
        CREATE INDEX ix_agents_organization ON agents (organization_id, id) WHERE deleted_at IS NULL;

        CREATE TABLE agent_revisions (
            id TEXT NOT NULL PRIMARY KEY,
            agent_id TEXT NOT NULL REFERENCES agents (id),
            organization_id TEXT NOT NULL,
            config TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX ix_agent_revisions_agent ON agent_revisions (agent_id, id);

        CREATE TABLE runs (
            id TEXT NOT NULL PRIMARY KEY,
            organization_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            revision_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'error')),
            status_message TEXT,
            input TEXT NOT NULL,
            error_code TEXT,
            error_message TEXT,
            error_event_seq INTEGER,
            result_type TEXT NOT NULL,
            result_data TEXT,
            sources TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            total_tokens INTEGER NOT NULL,
            cost_usd TEXT NOT NULL,
            model_calls INTEGER NOT NULL,
            tool_calls INTEGER NOT NULL,
            model TEXT,
            attempt INTEGER NOT NULL,
            metadata TEXT,
            idempotency_key TEXT,
            created_at INTEGER NOT NULL,
            started_at INTEGER,
            completed_at INTEGER,
            updated_at INTEGER NOT NULL,
            lease_owner TEXT,
            lease_expires_at INTEGER,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            last_seq INTEGER NOT NULL,
            last_position INTEGER NOT NULL
        );
        -- The claim queue and the queue depth: pending runs in id (creation) order.
        CREATE INDEX ix_runs_pending ON runs (id) WHERE status = 'pending';
        -- The watchdog: running runs by lease expiry.
        CREATE INDEX ix_runs_lease ON runs (lease_expires_at) WHERE status = 'running';
        -- Run lists, newest first, by organization and optionally agent or status.
        CREATE INDEX ix_runs_organization ON runs (organization_id, id);
        CREATE INDEX ix_runs_organization_agent ON runs (organization_id, agent_id, id);
        CREATE INDEX ix_runs_organization_status ON runs (organization_id, status, id);

        CREATE TABLE idempotency_keys (
            organization_id TEXT NOT NULL,
            key TEXT NOT NULL,
            run_id TEXT NOT NULL,
            input_hash TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (organization_id, key)
        );

        CREATE TABLE run_events (
            run_id TEXT NOT NULL REFERENCES runs (id),
            seq INTEGER NOT NULL,
            position INTEGER NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            PRIMARY KEY (run_id, seq),
            UNIQUE (run_id, position)
        );
        """,
        // 2: the change order of runs, for the live run feed (GET /v1/runs/stream). Rows from before it keep 0, which
        // no feed cursor is below: a feed starts from now, and every later change stamps a real value.
        """
        ALTER TABLE runs ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX ix_runs_organization_change ON runs (organization_id, change_seq);
        """,
        // Drives: files of an organization that agents search and read. A drive has at most one item per path.
        // drive_chunks holds each ready item's text in order; drive_chunks_fts indexes it (FTS5 over the chunks as
        // external content, kept in step by triggers, so the text is stored once and chunks are found by item id).
        """
        CREATE TABLE drives (
            id TEXT NOT NULL PRIMARY KEY,
            organization_id TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX ix_drives_organization ON drives (organization_id, id);

        CREATE TABLE drive_items (
            id TEXT NOT NULL PRIMARY KEY,
            organization_id TEXT NOT NULL,
            drive_id TEXT NOT NULL REFERENCES drives (id),
            path TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('processing', 'ready', 'error')),
            error TEXT,
            size INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            description TEXT,
            title TEXT,
            summary TEXT,
            metadata TEXT NOT NULL,
            blob TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            UNIQUE (drive_id, path)
        );
        CREATE INDEX ix_drive_items_processing ON drive_items (id) WHERE status = 'processing';

        CREATE TABLE drive_chunks (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES drive_items (id),
            drive_id TEXT NOT NULL,
            organization_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            heading TEXT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX ix_drive_chunks_item ON drive_chunks (item_id, ordinal);

        CREATE VIRTUAL TABLE drive_chunks_fts USING fts5 (
            heading, body, content = 'drive_chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER drive_chunks_insert AFTER INSERT ON drive_chunks BEGIN
            INSERT INTO drive_chunks_fts (rowid, heading, body) VALUES (new.id, new.heading, new.body);
        END;
        CREATE TRIGGER drive_chunks_delete AFTER DELETE ON drive_chunks BEGIN
            INSERT INTO drive_chunks_fts (drive_chunks_fts, rowid, heading, body) VALUES ('delete', old.id, old.heading, old.body);
        END;
        """,
        // Analytics: feedback (one score per run and key) and the rollups of finished runs, one cell per organization,
        // agent, 15-minute slot of creation time, revision and model (the model is '' for a run that called none).
        // A file that already has finished runs gets its rollups built at start (SqliteStore.MigrateAsync).
        """
        CREATE TABLE run_feedback (
            run_id TEXT NOT NULL REFERENCES runs (id),
            key TEXT NOT NULL,
            score REAL NOT NULL,
            comment TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE analytics_rollups (
            organization_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            slot INTEGER NOT NULL,
            revision_id TEXT NOT NULL,
            model TEXT NOT NULL,
            cell BLOB NOT NULL,
            PRIMARY KEY (organization_id, agent_id, slot, revision_id, model)
        ) WITHOUT ROWID;
        -- The overview: every agent of an organization over a time range.
        CREATE INDEX ix_analytics_rollups_organization_slot ON analytics_rollups (organization_id, slot);

        -- The W3C trace id of a run's last execution.
        ALTER TABLE runs ADD COLUMN trace_id TEXT;
        """,
    ];
}
