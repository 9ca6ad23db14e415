import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { SchemaForm } from "../components/SchemaForm";
import { ErrorBanner, JsonTree, Loading, onTabListKeyDown, PageHeader, PublicationBadge } from "../components/ui";
import { api, ApiError, type Agent, type Page, type Revision, type Run } from "../lib/api";
import { formatTime } from "../lib/format";
import { diffLines } from "../lib/lineDiff";
import { errorsFromProblem, fieldsFromSchema, initialState, readForm, type FieldErrors, type FieldState } from "../lib/schemaForm";
import { useAsync } from "../lib/useAsync";

const tabs = [
  { id: "run", label: "Run" },
  { id: "config", label: "Configuration" },
  { id: "revisions", label: "Revisions" },
] as const;

export function AgentDetailPage() {
  const { agentId } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "run";
  const agent = useAsync((signal) => api<Agent>(`/v1/agents/${agentId}`, { signal }), [agentId]);
  const [publishError, setPublishError] = useState<unknown>(undefined);

  if (agent.error) return <ErrorBanner error={agent.error} />;
  if (!agent.data) return <Loading />;
  const a = agent.data;

  const publish = async (revisionId?: string) => {
    setPublishError(undefined);
    try {
      agent.setData(await api<Agent>(`/v1/agents/${a.id}/publish`, { method: "POST", body: revisionId ? { revisionId } : {} }));
    } catch (reason) {
      setPublishError(reason);
    }
  };

  return (
    <>
      <PageHeader
        title={
          <>
            {a.name} <PublicationBadge agent={a} />
          </>
        }
        subtitle={a.description || undefined}
        actions={
          <>
            <Link className="button" to={`/runs?agentId=${a.id}`}>
              Runs
            </Link>
            <Link className="button" to={`/agents/${a.id}/edit`}>
              Edit
            </Link>
            {(!a.publishedRevisionId || a.hasChanges) && (
              <button type="button" className="button button-primary" onClick={() => publish()}>
                Publish latest
              </button>
            )}
          </>
        }
      />
      <ErrorBanner error={publishError} title="Publishing failed" />
      <div className="tabs" role="tablist" aria-label="Agent" onKeyDown={onTabListKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            tabIndex={tab === t.id ? 0 : -1}
            className={`tab${tab === t.id ? " active" : ""}`}
            onClick={() => setParams(t.id === "run" ? {} : { tab: t.id }, { replace: true })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === "run" && <RunForm agent={a} />}
      {tab === "config" && (
        <div className="card">
          <dl className="facts">
            <dt>Id</dt>
            <dd className="mono">{a.id}</dd>
            <dt>Model stack</dt>
            <dd className="mono">{a.modelStackId}</dd>
            <dt>Latest revision</dt>
            <dd className="mono">{a.latestRevisionId}</dd>
            <dt>Published revision</dt>
            <dd className="mono">{a.publishedRevisionId ?? "—"}</dd>
            <dt>Result type</dt>
            <dd>{a.resultType}</dd>
            <dt>Updated</dt>
            <dd>{formatTime(a.updatedAt)}</dd>
          </dl>
          <h3>Goal prompt</h3>
          <pre className="code">{a.goalPrompt}</pre>
          <h3>Input schema</h3>
          <JsonTree value={a.inputSchema} />
          {a.resultSchema !== undefined && a.resultSchema !== null && (
            <>
              <h3>Result schema</h3>
              <JsonTree value={a.resultSchema} />
            </>
          )}
          <h3>Tools</h3>
          <JsonTree value={a.tools} />
        </div>
      )}
      {tab === "revisions" && <Revisions agent={a} onPublish={publish} />}
    </>
  );
}

/** The run form: generated from the inputSchema of the revision that will run (the published one, else the latest). */
function RunForm({ agent }: { agent: Agent }) {
  const navigate = useNavigate();
  const [useLatest, setUseLatest] = useState(false);
  const revisionId = useLatest || !agent.publishedRevisionId ? agent.latestRevisionId : agent.publishedRevisionId;
  const revision = useAsync(
    (signal) =>
      revisionId === agent.latestRevisionId
        ? Promise.resolve<Revision>({ id: revisionId, agentId: agent.id, createdAt: agent.updatedAt, isPublished: agent.isPublished, config: agent })
        : api<Revision>(`/v1/agents/${agent.id}/revisions/${revisionId}`, { signal }),
    [agent, revisionId],
  );
  const schema = revision.data?.config?.inputSchema;
  const root = useMemo(() => fieldsFromSchema(schema as object | undefined), [schema]);
  const [state, setState] = useState<FieldState>(() => initialState(root));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setState(initialState(root));
    setErrors({});
  }, [root]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reading = readForm(root, state);
    setErrors(reading.errors);
    const count = Object.keys(reading.errors).length;
    if (count > 0) {
      setProblem(`${count} field${count === 1 ? "" : "s"} need${count === 1 ? "s" : ""} attention.`);
      focusFirstError();
      return;
    }

    setProblem(null);
    setBusy(true);
    try {
      const run = await api<Run>(`/v1/agents/${agent.id}/runs`, { method: "POST", body: reading.value, query: { revisionId: useLatest ? agent.latestRevisionId : undefined } });
      navigate(`/runs/${run.id}`);
    } catch (reason) {
      if (reason instanceof ApiError) {
        setErrors(errorsFromProblem(reason.errors));
        setProblem(reason.message);
        focusFirstError();
      } else {
        setProblem(String(reason));
      }
    } finally {
      setBusy(false);
    }
  };

  if (revision.error) return <ErrorBanner error={revision.error} />;
  if (!revision.data) return <Loading />;
  return (
    <form className="card run-form" onSubmit={submit} noValidate aria-label="Run input">
      {agent.publishedRevisionId && agent.hasChanges && (
        <label className="checkbox revision-choice">
          <input type="checkbox" checked={useLatest} onChange={(e) => setUseLatest(e.target.checked)} />
          <span>Run the latest (unpublished) revision instead of the published one</span>
        </label>
      )}
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="run-problem">
          {problem}
        </div>
      )}
      <SchemaForm field={root} state={state} onChange={setState} errors={errors} />
      <div className="form-actions">
        <span className="muted small mono">revision {revisionId}</span>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Starting…" : "Start run"}
        </button>
      </div>
    </form>
  );
}

function focusFirstError() {
  requestAnimationFrame(() => {
    const invalid = document.querySelector<HTMLElement>("[aria-invalid='true']");
    invalid?.focus();
  });
}

function Revisions({ agent, onPublish }: { agent: Agent; onPublish: (revisionId: string) => Promise<void> }) {
  const revisions = useAsync((signal) => api<Page<Revision>>(`/v1/agents/${agent.id}/revisions`, { query: { limit: 100 }, signal }), [agent.id, agent.publishedRevisionId, agent.latestRevisionId]);
  const items = revisions.data?.items ?? [];
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const fromId = from ?? items[1]?.id ?? null;
  const toId = to ?? items[0]?.id ?? null;
  const diff = useAsync(
    (signal) =>
      fromId && toId && fromId !== toId
        ? api<{ from: string; to: string; diff: Record<string, { from: unknown; to: unknown }> }>(`/v1/agents/${agent.id}/revisions/diff`, { query: { from: fromId, to: toId }, signal })
        : Promise.resolve(null),
    [agent.id, fromId, toId],
  );

  if (revisions.error) return <ErrorBanner error={revisions.error} />;
  if (!revisions.data) return <Loading />;
  return (
    <div className="revisions">
      <div className="card table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Revision</th>
              <th>Created</th>
              <th>Compare</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((revision, index) => (
              <tr key={revision.id} data-revision-id={revision.id}>
                <td>
                  <span className="mono">{revision.id}</span> {index === 0 && <span className="badge">latest</span>}{" "}
                  {revision.isPublished && <span className="badge pub-published">published</span>}
                </td>
                <td>{formatTime(revision.createdAt)}</td>
                <td className="nowrap">
                  <label className="radio">
                    <input type="radio" name="diff-from" checked={fromId === revision.id} onChange={() => setFrom(revision.id)} aria-label={`Compare from ${revision.id}`} /> from
                  </label>{" "}
                  <label className="radio">
                    <input type="radio" name="diff-to" checked={toId === revision.id} onChange={() => setTo(revision.id)} aria-label={`Compare to ${revision.id}`} /> to
                  </label>
                </td>
                <td>
                  {!revision.isPublished && (
                    <button type="button" className="button button-small" onClick={() => onPublish(revision.id)}>
                      Publish
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Changes</h2>
      {items.length < 2 && <p className="muted">This agent has one revision; edit its configuration to make another.</p>}
      <ErrorBanner error={diff.error} />
      {diff.data && (
        <div className="card diff" data-testid="revision-diff">
          <div className="diff-head">
            <span className="mono">{diff.data.from}</span>
            <span className="mono">{diff.data.to}</span>
          </div>
          {Object.keys(diff.data.diff).length === 0 && <p className="muted">No configuration differences.</p>}
          {Object.entries(diff.data.diff).map(([field, change]) => (
            <section key={field} className="diff-field">
              <h3>{field}</h3>
              <SideBySide from={render(change.from)} to={render(change.to)} />
            </section>
          ))}
        </div>
      )}
    </div>
  );
}

function SideBySide({ from, to }: { from: string; to: string }) {
  const rows = useMemo(() => diffLines(from, to), [from, to]);
  return (
    <div className="diff-table" role="table" aria-label="Side-by-side changes">
      {rows.map((row, i) => (
        <div key={i} className={`diff-row diff-${row.kind}`} role="row">
          <span className="diff-from" role="cell">
            {row.left ?? ""}
          </span>
          <span className="diff-to" role="cell">
            {row.right ?? ""}
          </span>
        </div>
      ))}
    </div>
  );
}

function render(value: unknown): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}
