import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { TimeChart, type ChartPoint } from "../components/Chart";
import { ErrorBanner, Loading, PageHeader, Stat } from "../components/ui";
import { api } from "../lib/api";
import { formatCost, formatDuration, formatNumber, formatTime } from "../lib/format";
import { useAsync } from "../lib/useAsync";
import { loadAllAgents } from "./Agents";

interface Latency {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorBound: number;
}

/** The figures of API.md "Analytics", for a whole range or one bucket. */
interface Figures {
  runs: number;
  byStatus: { pending: number; running: number; done: number; error: number };
  errorCodes: Record<string, number>;
  successRate: number | null;
  durationMs: Latency;
  queueWaitMs: Latency;
  tokens: { input: number; output: number };
  costUsd: number;
  costPerRunUsd: number | null;
  toolCalls: Record<string, { calls: number; errors: number }>;
  feedback: Record<string, { count: number; mean: number }>;
}

interface Report {
  from: string;
  to: string;
  bucket: "hour" | "day";
  total: Figures;
  series: (Figures & { start: string })[];
}

interface RevisionReport {
  items: { revisionId: string; createdAt: string; isPublished?: boolean; total: Figures }[];
}

const ranges = { "24h": { hours: 24, bucket: "hour" }, "7d": { hours: 24 * 7, bucket: "day" }, "30d": { hours: 24 * 30, bucket: "day" } } as const;
type Range = keyof typeof ranges;

const percent = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${(value * 100).toFixed(value === 1 || value === 0 ? 0 : 1)}%`);

/** Per-agent monitoring from the analytics API: volume, success, latency, tokens, cost, errors, tools, revisions. */
export function MonitoringPage() {
  const [params, setParams] = useSearchParams();
  const agents = useAsync((signal) => loadAllAgents(signal), []);
  const agentId = params.get("agentId") ?? agents.data?.[0]?.id ?? "";
  const range = (params.get("range") as Range | null) ?? "24h";
  const { hours, bucket } = ranges[range] ?? ranges["24h"];
  const span = useMemo(() => {
    const to = new Date();
    // Whole buckets: the range ends at the end of the current hour or day.
    if (bucket === "hour") to.setMinutes(60, 0, 0);
    else to.setHours(24, 0, 0, 0);
    return { from: new Date(to.getTime() - hours * 3_600_000).toISOString(), to: to.toISOString() };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range, agentId]);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const report = useAsync(
    (signal) => (agentId ? api<Report>(`/v1/analytics/agents/${agentId}`, { query: { ...span, bucket, tz }, signal }) : Promise.resolve(undefined)),
    [agentId, span.from, bucket],
  );
  const revisions = useAsync(
    (signal) => (agentId ? api<RevisionReport>(`/v1/analytics/agents/${agentId}/revisions`, { query: span, signal }) : Promise.resolve(undefined)),
    [agentId, span.from],
  );

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  };

  const label = (iso: string) =>
    bucket === "hour" ? new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric" });
  const points = (pick: (f: Figures) => Record<string, number | null>): ChartPoint[] => (report.data?.series ?? []).map((b) => ({ label: label(b.start), values: pick(b) }));
  const total = report.data?.total;

  return (
    <>
      <PageHeader title="Monitoring" subtitle="Runs, success, latency, tokens and cost per agent, from the analytics API." />
      <form className="filters card" onSubmit={(e) => e.preventDefault()} aria-label="Monitoring filters">
        <label>
          Agent
          <select name="agentId" value={agentId} onChange={(e) => set("agentId", e.target.value)}>
            {(agents.data ?? []).map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Range
          <select name="range" value={range} onChange={(e) => set("range", e.target.value)}>
            <option value="24h">Last 24 hours (hourly)</option>
            <option value="7d">Last 7 days (daily)</option>
            <option value="30d">Last 30 days (daily)</option>
          </select>
        </label>
      </form>
      <ErrorBanner error={agents.error ?? report.error} />
      {agents.data && agents.data.length === 0 && <div className="empty card">No agents yet.</div>}
      {report.loading && !report.data && agentId && <Loading />}
      {total && (
        <>
          <div className="stats card" data-testid="monitoring-totals">
            <Stat label="Runs" value={formatNumber(total.runs)} />
            <Stat label="Success rate" value={percent(total.successRate)} />
            <Stat label="Duration p50" value={formatDuration(total.durationMs.p50)} title={`±${percent(total.durationMs.errorBound)}`} />
            <Stat label="Duration p95" value={formatDuration(total.durationMs.p95)} />
            <Stat label="Queue wait p95" value={formatDuration(total.queueWaitMs.p95)} />
            <Stat label="Tokens" value={`${formatNumber(total.tokens.input)} in / ${formatNumber(total.tokens.output)} out`} />
            <Stat label="Cost" value={formatCost(total.costUsd)} />
            <Stat label="Cost per run" value={formatCost(total.costPerRunUsd)} />
          </div>
          <div className="charts">
            <div className="card">
              <TimeChart
                title="Runs"
                mode="bars"
                format={(v) => formatNumber(Math.round(v))}
                series={[
                  { key: "done", label: "done", color: "var(--success)" },
                  { key: "error", label: "error", color: "var(--danger)" },
                  { key: "other", label: "pending/running", color: "var(--muted)" },
                ]}
                points={points((f) => ({ done: f.byStatus.done, error: f.byStatus.error, other: f.byStatus.pending + f.byStatus.running }))}
              />
            </div>
            <div className="card">
              <TimeChart
                title="Duration"
                mode="lines"
                format={(v) => formatDuration(v)}
                series={[
                  { key: "p50", label: "p50", color: "var(--accent)" },
                  { key: "p95", label: "p95", color: "var(--warning)" },
                ]}
                points={points((f) => ({ p50: f.durationMs.p50, p95: f.durationMs.p95 }))}
              />
            </div>
            <div className="card">
              <TimeChart
                title="Tokens"
                mode="bars"
                format={(v) => formatNumber(Math.round(v))}
                series={[
                  { key: "input", label: "input", color: "var(--info)" },
                  { key: "output", label: "output", color: "var(--accent)" },
                ]}
                points={points((f) => ({ input: f.tokens.input, output: f.tokens.output }))}
              />
            </div>
            <div className="card">
              <TimeChart title="Cost" mode="bars" format={(v) => formatCost(v)} series={[{ key: "cost", label: "USD", color: "var(--warning)" }]} points={points((f) => ({ cost: f.costUsd }))} />
            </div>
          </div>
          <div className="charts">
            <div className="card">
              <h2>Errors</h2>
              {Object.keys(total.errorCodes).length === 0 ? (
                <p className="muted">No failed runs.</p>
              ) : (
                <table className="table" data-testid="error-codes">
                  <tbody>
                    {Object.entries(total.errorCodes).map(([code, count]) => (
                      <tr key={code}>
                        <td>
                          <Link to={`/runs?agentId=${agentId}&errorCode=${code}`}>{code}</Link>
                        </td>
                        <td className="num">{formatNumber(count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <div className="card">
              <h2>Tools</h2>
              {Object.keys(total.toolCalls).length === 0 ? (
                <p className="muted">No tool calls.</p>
              ) : (
                <table className="table">
                  <thead>
                    <tr>
                      <th>Tool</th>
                      <th className="num">Calls</th>
                      <th className="num">Errors</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(total.toolCalls).map(([tool, figures]) => (
                      <tr key={tool}>
                        <td className="mono">{tool}</td>
                        <td className="num">{formatNumber(figures.calls)}</td>
                        <td className="num">{formatNumber(figures.errors)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {Object.keys(total.feedback).length > 0 && (
                <>
                  <h2>Feedback</h2>
                  <table className="table">
                    <tbody>
                      {Object.entries(total.feedback).map(([key, figures]) => (
                        <tr key={key}>
                          <td>{key}</td>
                          <td className="num">{figures.mean.toFixed(2)}</td>
                          <td className="num muted">{formatNumber(figures.count)} scores</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </div>
          </div>
        </>
      )}
      {revisions.data && revisions.data.items.length > 0 && (
        <div className="card table-wrap">
          <table className="table" data-testid="revision-figures">
            <thead>
              <tr>
                <th>Revision</th>
                <th className="num">Runs</th>
                <th className="num">Success</th>
                <th className="num">p50</th>
                <th className="num">p95</th>
                <th className="num">Cost per run</th>
              </tr>
            </thead>
            <tbody>
              {revisions.data.items.map((item) => (
                <tr key={item.revisionId}>
                  <td>
                    <span className="mono">{item.revisionId}</span>
                    <div className="muted small">{formatTime(item.createdAt)}</div>
                  </td>
                  <td className="num">{formatNumber(item.total.runs)}</td>
                  <td className="num">{percent(item.total.successRate)}</td>
                  <td className="num">{formatDuration(item.total.durationMs.p50)}</td>
                  <td className="num">{formatDuration(item.total.durationMs.p95)}</td>
                  <td className="num">{formatCost(item.total.costPerRunUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
