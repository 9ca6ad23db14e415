import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ErrorBanner, Loading, PageHeader, StatusBadge } from "../components/ui";
import { api, runErrorCodes, type Agent, type Page, type Run } from "../lib/api";
import { between, formatCost, formatDuration, formatNumber, formatRelative } from "../lib/format";
import { followEventStream } from "../lib/sse";
import { useAsync } from "../lib/useAsync";
import { loadAllAgents } from "./Agents";

const filterNames = ["agentId", "status", "errorCode", "createdAfter", "createdBefore"] as const;

/** Whether a run belongs in the list under the filters (the live feed sends every run of the organization). */
function matches(run: Run, filters: Record<string, string>): boolean {
  if (filters.agentId && run.agentId !== filters.agentId) return false;
  if (filters.status && run.status !== filters.status) return false;
  if (filters.errorCode && run.error?.code !== filters.errorCode) return false;
  if (filters.createdAfter && run.createdAt < new Date(filters.createdAfter).toISOString()) return false;
  if (filters.createdBefore && run.createdAt > new Date(filters.createdBefore).toISOString()) return false;
  return true;
}

/** datetime-local shows local time; the URL and the API use ISO UTC. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = useMemo(() => Object.fromEntries(filterNames.map((n) => [n, params.get(n) ?? ""])), [params]);
  const filterKey = JSON.stringify(filters);
  const agents = useAsync((signal) => loadAllAgents(signal), []);
  const agentNames = useMemo(() => new Map((agents.data ?? []).map((a: Agent) => [a.id, a.name])), [agents.data]);
  const firstPage = useAsync((signal) => api<Page<Run>>("/v1/runs", { query: { ...filters, limit: 50 }, signal }), [filterKey]);
  const [runs, setRuns] = useState<Run[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [live, setLive] = useState<"live" | "reconnecting" | "ended">("reconnecting");
  const [selected, setSelected] = useState<string[]>([]);
  const feedCursor = useRef<string | null>(null);
  // The ids in the list, for the feed to tell a change of a listed run from a new one.
  const held = useRef(new Set<string>());
  held.current = new Set(runs.map((r) => r.id));

  useEffect(() => {
    if (!firstPage.data) return;
    setRuns(firstPage.data.items);
    setCursor(firstPage.data.nextCursor ?? null);
    setTotal(firstPage.data.total);
  }, [firstPage.data]);

  useEffect(() => {
    if (!firstPage.data) return;
    feedCursor.current = null;
    const stop = followEventStream(
      () => `/v1/runs/stream${filters.agentId ? `?agentId=${encodeURIComponent(filters.agentId)}` : ""}`,
      () => feedCursor.current,
      (message) => {
        if (message.id !== null) feedCursor.current = message.id;
        if (message.event !== "run") return;
        const run = JSON.parse(message.data) as Run;
        const known = held.current.has(run.id);
        if (!known && !matches(run, filters)) return;
        if (!known) {
          held.current.add(run.id);
          setTotal((t) => t + 1);
        }
        setRuns((current) => (current.some((r) => r.id === run.id) ? current.map((r) => (r.id === run.id ? run : r)) : [run, ...current]));
      },
      setLive,
    );
    return stop;
    // The feed restarts when the filters (and so the first page) change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstPage.data]);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api<Page<Run>>("/v1/runs", { query: { ...filters, limit: 50, cursor } });
      setRuns((current) => [...current, ...page.items.filter((r) => !current.some((c) => c.id === r.id))]);
      setCursor(page.nextCursor ?? null);
      setMoreError(undefined);
    } catch (reason) {
      setMoreError(reason);
    } finally {
      setLoadingMore(false);
    }
  };

  const toggle = (id: string) => setSelected((current) => (current.includes(id) ? current.filter((s) => s !== id) : [...current.slice(-1), id]));
  const anyFilter = filterNames.some((n) => filters[n]);

  return (
    <>
      <PageHeader
        title="Runs"
        subtitle={
          <>
            {formatNumber(total)} run{total === 1 ? "" : "s"}
            <span className={`live live-${live}`} title="Live updates">
              {live === "live" ? "● live" : live === "reconnecting" ? "○ reconnecting" : "ended"}
            </span>
          </>
        }
        actions={
          <button type="button" className="button" disabled={selected.length !== 2} onClick={() => navigate(`/compare?a=${selected[0]}&b=${selected[1]}`)}>
            Compare selected
          </button>
        }
      />
      <form className="filters card" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Agent
          <select value={filters.agentId} onChange={(e) => setFilter("agentId", e.target.value)} name="agentId">
            <option value="">All agents</option>
            {(agents.data ?? []).map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(e) => setFilter("status", e.target.value)} name="status">
            <option value="">Any</option>
            {["pending", "running", "done", "error"].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Error code
          <select value={filters.errorCode} onChange={(e) => setFilter("errorCode", e.target.value)} name="errorCode">
            <option value="">Any</option>
            {runErrorCodes.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Created after
          <input type="datetime-local" value={toLocalInput(filters.createdAfter)} onChange={(e) => setFilter("createdAfter", e.target.value ? new Date(e.target.value).toISOString() : "")} />
        </label>
        <label>
          Created before
          <input type="datetime-local" value={toLocalInput(filters.createdBefore)} onChange={(e) => setFilter("createdBefore", e.target.value ? new Date(e.target.value).toISOString() : "")} />
        </label>
        {anyFilter && (
          <button type="button" className="button button-ghost" onClick={() => setParams({})}>
            Clear
          </button>
        )}
      </form>
      <ErrorBanner error={firstPage.error} />
      {firstPage.loading && !firstPage.data && <Loading />}
      {firstPage.data && runs.length === 0 && (
        <div className="empty card">
          <p>{anyFilter ? "No runs match these filters." : "No runs yet. Open an agent and start one."}</p>
        </div>
      )}
      {runs.length > 0 && (
        <div className="card table-wrap">
          <table className="table runs-table">
            <thead>
              <tr>
                <th aria-label="Select" />
                <th>Status</th>
                <th>Run</th>
                <th>Agent</th>
                <th>Created</th>
                <th className="num">Duration</th>
                <th className="num hide-narrow">Tokens</th>
                <th className="num hide-narrow">Cost</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-run-id={run.id} data-status={run.status}>
                  <td>
                    <input type="checkbox" checked={selected.includes(run.id)} onChange={() => toggle(run.id)} aria-label={`Select ${run.id}`} />
                  </td>
                  <td>
                    <StatusBadge status={run.status} code={run.error?.code} />
                  </td>
                  <td>
                    <Link to={`/runs/${run.id}`} className="mono">
                      {run.id}
                    </Link>
                  </td>
                  <td>
                    <Link to={`/agents/${run.agentId}`}>{agentNames.get(run.agentId) ?? run.agentId}</Link>
                  </td>
                  <td title={run.createdAt}>{formatRelative(run.createdAt)}</td>
                  <td className="num">{formatDuration(between(run.startedAt ?? run.createdAt, run.completedAt))}</td>
                  <td className="num hide-narrow">{formatNumber(run.usage?.totalTokens)}</td>
                  <td className="num hide-narrow">{formatCost(run.usage?.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBanner error={moreError} />
      {cursor && (
        <div className="center">
          <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </>
  );
}
