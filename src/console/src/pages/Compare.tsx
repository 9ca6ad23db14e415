import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { ErrorBanner, JsonTree, Loading, PageHeader, StatusBadge } from "../components/ui";
import { api, type Page, type Run } from "../lib/api";
import { between, formatCost, formatDuration, formatNumber } from "../lib/format";
import { countByType } from "../lib/timeline";
import { useAsync } from "../lib/useAsync";
import { Result, useRunEvents } from "./RunDetail";

/** Two runs side by side: inputs, results, event counts, usage and duration; rows that differ are marked. */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const a = params.get("a") ?? "";
  const b = params.get("b") ?? "";
  if (!a || !b) return <ChooseRuns a={a} b={b} onChoose={(x, y) => setParams({ a: x, b: y })} />;
  return <Comparison a={a} b={b} />;
}

function ChooseRuns({ a, b, onChoose }: { a: string; b: string; onChoose: (a: string, b: string) => void }) {
  const [first, setFirst] = useState(a);
  const [second, setSecond] = useState(b);
  const recent = useAsync((signal) => api<Page<Run>>("/v1/runs", { query: { limit: 50 }, signal }), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (first && second) onChoose(first.trim(), second.trim());
  };
  const options = (recent.data?.items ?? []).map((run) => (
    <option key={run.id} value={run.id}>
      {run.id} · {run.status}
    </option>
  ));
  return (
    <>
      <PageHeader title="Compare runs" subtitle="Pick two runs, or select two on the Runs page." />
      <form className="card compare-pick" onSubmit={submit}>
        <label>
          First run
          <input list="recent-runs" value={first} onChange={(e) => setFirst(e.target.value)} placeholder="run_…" name="a" />
        </label>
        <label>
          Second run
          <input list="recent-runs" value={second} onChange={(e) => setSecond(e.target.value)} placeholder="run_…" name="b" />
        </label>
        <datalist id="recent-runs">{options}</datalist>
        <button type="submit" className="button button-primary" disabled={!first || !second}>
          Compare
        </button>
      </form>
    </>
  );
}

function Comparison({ a, b }: { a: string; b: string }) {
  const left = useAsync((signal) => api<Run>(`/v1/runs/${a}`, { signal }), [a]);
  const right = useAsync((signal) => api<Run>(`/v1/runs/${b}`, { signal }), [b]);
  const leftEvents = useRunEvents(a);
  const rightEvents = useRunEvents(b);
  if (left.error || right.error) return <ErrorBanner error={left.error ?? right.error} />;
  if (!left.data || !right.data) return <Loading />;
  const x = left.data;
  const y = right.data;
  const xCounts = countByType(leftEvents.timeline.events);
  const yCounts = countByType(rightEvents.timeline.events);
  const types = [...new Set([...Object.keys(xCounts), ...Object.keys(yCounts)])].sort();

  const rows: [string, (run: Run) => ReactNode, (run: Run) => unknown][] = [
    ["Status", (run) => <StatusBadge status={run.status} code={run.error?.code} />, (run) => `${run.status}/${run.error?.code ?? ""}`],
    ["Agent", (run) => <Link to={`/agents/${run.agentId}`}>{run.agentId}</Link>, (run) => run.agentId],
    ["Revision", (run) => <span className="mono">{run.revisionId}</span>, (run) => run.revisionId],
    ["Model", (run) => <span className="mono">{run.model ?? "—"}</span>, (run) => run.model],
    ["Duration", (run) => formatDuration(between(run.startedAt, run.completedAt)), (run) => formatDuration(between(run.startedAt, run.completedAt))],
    ["Queue wait", (run) => formatDuration(between(run.createdAt, run.startedAt)), (run) => formatDuration(between(run.createdAt, run.startedAt))],
    ["Input tokens", (run) => formatNumber(run.usage?.inputTokens), (run) => run.usage?.inputTokens],
    ["Output tokens", (run) => formatNumber(run.usage?.outputTokens), (run) => run.usage?.outputTokens],
    ["Cost", (run) => formatCost(run.usage?.costUsd), (run) => run.usage?.costUsd],
    ["Model calls", (run) => formatNumber(run.usage?.modelCalls), (run) => run.usage?.modelCalls],
    ["Tool calls", (run) => formatNumber(run.usage?.toolCalls), (run) => run.usage?.toolCalls],
    ["Sources", (run) => formatNumber(run.sources?.length ?? 0), (run) => run.sources?.length ?? 0],
  ];

  return (
    <>
      <PageHeader title="Compare runs" subtitle="Rows that differ are marked." />
      <div className="card table-wrap">
        <table className="table compare" data-testid="compare">
          <thead>
            <tr>
              <th />
              <th>
                <Link className="mono" to={`/runs/${x.id}`}>
                  {x.id}
                </Link>
              </th>
              <th>
                <Link className="mono" to={`/runs/${y.id}`}>
                  {y.id}
                </Link>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, show, key]) => (
              <tr key={label} className={JSON.stringify(key(x)) !== JSON.stringify(key(y)) ? "differs" : undefined}>
                <th scope="row">{label}</th>
                <td>{show(x)}</td>
                <td>{show(y)}</td>
              </tr>
            ))}
            {types.map((type) => (
              <tr key={type} className={(xCounts[type] ?? 0) !== (yCounts[type] ?? 0) ? "differs" : undefined} data-event-type={type}>
                <th scope="row">{type.replace("_", " ")} events</th>
                <td>{xCounts[type] ?? 0}</td>
                <td>{yCounts[type] ?? 0}</td>
              </tr>
            ))}
            <tr className={JSON.stringify(x.input) !== JSON.stringify(y.input) ? "differs" : undefined}>
              <th scope="row">Input</th>
              <td>
                <JsonTree value={x.input} />
              </td>
              <td>
                <JsonTree value={y.input} />
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className="compare-results">
        <section className="card result">
          <h2>Result of {x.id}</h2>
          <Result run={x} onCite={() => undefined} />
        </section>
        <section className="card result">
          <h2>Result of {y.id}</h2>
          <Result run={y} onCite={() => undefined} />
        </section>
      </div>
    </>
  );
}
