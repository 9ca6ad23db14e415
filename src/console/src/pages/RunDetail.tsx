import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { Markdown } from "../components/Markdown";
import { Timeline, Waterfall } from "../components/Timeline";
import { CopyButton, ErrorBanner, JsonTree, Loading, onTabListKeyDown, PageHeader, Stat, StatusBadge } from "../components/ui";
import { api, getApiKey, isTerminal, type Agent, type Run, type Source } from "../lib/api";
import { between, formatCost, formatDuration, formatNumber, formatTime, shellQuote } from "../lib/format";
import { followEventStream } from "../lib/sse";
import { countByType, emptyTimeline, timelineReducer, type RunEvent } from "../lib/timeline";
import { useAsync } from "../lib/useAsync";

/** A run's events, live: replays from the start, then follows; a dropped connection resumes after the last position held. */
export function useRunEvents(runId: string | undefined, onChange?: () => void) {
  const [timeline, dispatch] = useReducer(timelineReducer, emptyTimeline);
  const [state, setState] = useState<"live" | "reconnecting" | "ended">("reconnecting");
  const position = useRef(0);
  position.current = timeline.lastPosition;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!runId) return;
    dispatch({ type: "reset" });
    position.current = 0;
    // Messages arrive in bursts (a replay of thousands); fold them in once per frame.
    let buffer: RunEvent[] = [];
    let frame = 0;
    let highest = 0;
    const flush = () => {
      frame = 0;
      const batch = buffer;
      buffer = [];
      dispatch({ type: "received", events: batch });
      onChangeRef.current?.();
    };
    const stop = followEventStream(
      () => `/v1/runs/${runId}/events/stream`,
      // The reducer's position may lag the buffer by a frame; resume from the highest position received.
      () => {
        const at = Math.max(position.current, highest);
        return at > 0 ? String(at) : null;
      },
      (message) => {
        if (message.event === "end") {
          if (frame) {
            cancelAnimationFrame(frame);
            flush();
          }

          dispatch({ type: "ended" });
          onChangeRef.current?.();
          return;
        }

        if (message.event === "heartbeat" || message.data === "") return;
        const event = JSON.parse(message.data) as RunEvent;
        highest = Math.max(highest, event.position);
        buffer.push(event);
        if (!frame) frame = requestAnimationFrame(flush);
      },
      (next) => {
        setState(next);
        if (next === "ended") dispatch({ type: "ended" });
      },
    );
    return () => {
      stop();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [runId]);

  return { timeline, state };
}

type Tab = "timeline" | "waterfall" | "result" | "sources" | "input";

/** The run page, mounted afresh for each run so that nothing of one run (tab, timeline) leaks into the next. */
export function RunDetailRoute() {
  const { runId } = useParams();
  return <RunDetailPage key={runId} />;
}

function RunDetailPage() {
  const { runId } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const run = useAsync((signal) => api<Run>(`/v1/runs/${runId}`, { signal }), [runId]);
  const agent = useAsync((signal) => (run.data ? api<Agent>(`/v1/agents/${run.data.agentId}`, { signal }) : Promise.resolve(undefined)), [run.data?.agentId]);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<string | null>(null);
  const [highlightSource, setHighlightSource] = useState<number | null>(null);

  // Events that change the run's status, usage or result trigger a fresh read of the run: one at a time, and one more
  // after it when another change came in meanwhile, so the last read always follows the last change.
  const refreshing = useRef(false);
  const again = useRef(false);
  const lastSeen = useRef(0);
  const setRun = run.setData;
  const refresh = useCallback(() => {
    if (!runId) return;
    if (refreshing.current) {
      again.current = true;
      return;
    }

    refreshing.current = true;
    const read = (): Promise<void> =>
      api<Run>(`/v1/runs/${runId}`)
        .then((fresh) => setRun(fresh))
        .catch(() => undefined)
        .then(() => {
          if (!again.current) return;
          again.current = false;
          return read();
        });
    void read().finally(() => (refreshing.current = false));
  }, [runId, setRun]);
  const { timeline, state } = useRunEvents(runId);
  useEffect(() => {
    const fresh = timeline.events.filter((e) => e.position > lastSeen.current);
    if (fresh.length === 0 && !timeline.ended) return;
    lastSeen.current = timeline.lastPosition;
    if (timeline.ended || fresh.some((e) => ["status", "model_call", "tool_call", "result", "error", "source"].includes(e.type))) refresh();
  }, [timeline, refresh]);

  const r = run.data;
  // A run that was done when the page opened shows its result; one still going shows its timeline, and keeps showing it
  // when it ends, so the page does not jump under the reader.
  const [defaultTab, setDefaultTab] = useState<Tab | null>(null);
  useEffect(() => {
    if (r && defaultTab === null) setDefaultTab(r.status === "done" ? "result" : "timeline");
  }, [r, defaultTab]);
  const tab = (params.get("tab") as Tab | null) ?? defaultTab ?? "timeline";
  const setTab = (next: Tab) => setParams({ tab: next }, { replace: true });

  if (run.error) return <ErrorBanner error={run.error} />;
  if (!r) return <Loading />;

  const act = async (name: string, action: () => Promise<void>) => {
    setBusy(name);
    setActionError(undefined);
    try {
      await action();
    } catch (reason) {
      setActionError(reason);
    } finally {
      setBusy(null);
    }
  };

  // The cancel is answered at once (202); the run's own status event follows and refreshes the page.
  const cancel = () =>
    act("cancel", async () => {
      await api(`/v1/runs/${r.id}/cancel`, { method: "POST" });
      refresh();
    });
  const rerun = (revisionId?: string) =>
    act(revisionId ? "rerun-latest" : "rerun", async () => {
      const created = await api<Run>(`/v1/runs/${r.id}/rerun`, { method: "POST", query: { revisionId } });
      navigate(`/runs/${created.id}`);
    });
  const curl = () =>
    [
      `curl -X POST ${shellQuote(`${window.location.origin}/v1/agents/${r.agentId}/runs?revisionId=${r.revisionId}`)}`,
      `  -H ${shellQuote(`X-API-Key: ${getApiKey() ?? "$AGENTRY_API_KEY"}`)}`,
      `  -H 'Content-Type: application/json'`,
      `  -d ${shellQuote(JSON.stringify(r.input))}`,
    ].join(" \\\n");

  const origin = new Date(r.startedAt ?? r.createdAt).getTime();
  const lastFinish = timeline.events.reduce((max, e) => Math.max(max, new Date(e.finishedAt ?? e.startedAt).getTime()), origin);
  const end = r.completedAt ? new Date(r.completedAt).getTime() : Math.max(lastFinish, Date.now());
  const failingSeq = r.status === "error" ? (r.error?.eventSeq ?? null) : null;
  const counts = countByType(timeline.events);
  const sources = r.sources ?? [];
  const terminal = isTerminal(r.status);
  const cite = (n: number) => {
    setHighlightSource(n);
    setTab("sources");
    requestAnimationFrame(() => document.getElementById(`source-${n}`)?.scrollIntoView({ block: "center" }));
  };

  return (
    <>
      <PageHeader
        title={
          <>
            <span className="mono">{r.id}</span> <StatusBadge status={r.status} code={r.error?.code} />
          </>
        }
        subtitle={
          <>
            Agent <Link to={`/agents/${r.agentId}`}>{agent.data?.name ?? r.agentId}</Link> · revision <span className="mono">{r.revisionId}</span>
            {r.attempt > 1 && <> · attempt {r.attempt}</>}
            <span className={`live live-${state}`}>{terminal && timeline.ended ? "" : state === "live" ? "● live" : state === "reconnecting" ? "○ reconnecting" : ""}</span>
          </>
        }
        actions={
          <>
            {!terminal && (
              <button type="button" className="button button-danger" onClick={cancel} disabled={busy !== null}>
                {busy === "cancel" ? "Cancelling…" : "Cancel"}
              </button>
            )}
            <button type="button" className="button" onClick={() => rerun()} disabled={busy !== null}>
              Rerun
            </button>
            {agent.data && agent.data.latestRevisionId !== r.revisionId && (
              <button type="button" className="button" onClick={() => rerun(agent.data!.latestRevisionId)} disabled={busy !== null}>
                Rerun on latest revision
              </button>
            )}
            <CopyButton text={curl} label="Copy as curl" />
            <Link className="button" to={`/compare?a=${r.id}`}>
              Compare…
            </Link>
          </>
        }
      />
      <ErrorBanner error={actionError} />
      {r.status === "error" && r.error && (
        <div className="banner banner-error" role="alert" data-testid="run-error">
          <strong>{r.error.code}</strong>: {r.error.message}
          {failingSeq !== null && (
            <>
              {" "}
              <button type="button" className="link-button" onClick={() => setTab("timeline")}>
                (step #{failingSeq})
              </button>
            </>
          )}
        </div>
      )}
      <div className="stats card">
        <Stat label="Created" value={formatTime(r.createdAt)} />
        <Stat label="Queued" value={formatDuration(between(r.createdAt, r.startedAt))} />
        <Stat label="Duration" value={formatDuration(r.startedAt ? (r.completedAt ? between(r.startedAt, r.completedAt) : Date.now() - origin) : null)} />
        <Stat label="Tokens" value={`${formatNumber(r.usage?.inputTokens)} in / ${formatNumber(r.usage?.outputTokens)} out`} />
        <Stat label="Cost" value={formatCost(r.usage?.costUsd)} />
        <Stat label="Model" value={<span className="mono">{r.model ?? "—"}</span>} />
        <Stat label="Calls" value={`${formatNumber(r.usage?.modelCalls)} model · ${formatNumber(r.usage?.toolCalls)} tool`} />
        <Stat label="Events" value={formatNumber(timeline.events.length)} />
      </div>
      <div className="tabs" role="tablist" aria-label="Run" onKeyDown={onTabListKeyDown}>
        {(
          [
            ["timeline", `Timeline (${timeline.events.length})`],
            ["waterfall", "Waterfall"],
            ["result", "Result"],
            ["sources", `Sources (${sources.length})`],
            ["input", "Input"],
          ] as [Tab, string][]
        ).map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} tabIndex={tab === id ? 0 : -1} className={`tab${tab === id ? " active" : ""}`} onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
      </div>
      {tab === "timeline" && (
        <div className="card">
          <div className="event-counts">
            {Object.entries(counts).map(([type, count]) => (
              <span key={type} className={`chip type-${type}`}>
                {type.replace("_", " ")} {count}
              </span>
            ))}
          </div>
          <Timeline events={timeline.events} origin={origin} failingSeq={failingSeq} live={!timeline.ended} />
        </div>
      )}
      {tab === "waterfall" && (
        <div className="card">
          <Waterfall events={timeline.events} origin={origin} end={end} failingSeq={failingSeq} />
        </div>
      )}
      {tab === "result" && (
        <div className="card result">
          <Result run={r} onCite={cite} />
        </div>
      )}
      {tab === "sources" && (
        <div className="card">
          <Sources sources={sources} highlight={highlightSource} />
        </div>
      )}
      {tab === "input" && (
        <div className="card">
          <JsonTree value={r.input} />
        </div>
      )}
    </>
  );
}

export function Result({ run, onCite }: { run: Run; onCite: (n: number) => void }) {
  if (run.resultData === null || run.resultData === undefined) {
    return <p className="muted">{isTerminal(run.status) ? "This run has no result." : "The result appears here when the run is done."}</p>;
  }

  if (run.resultType === "document") {
    const text = (run.resultData as { result?: string }).result ?? "";
    return <Markdown text={text} sourceCount={run.sources?.length ?? 0} onCite={onCite} />;
  }

  return <JsonTree value={run.resultData} />;
}

function Sources({ sources, highlight }: { sources: Source[]; highlight: number | null }) {
  if (sources.length === 0) return <p className="muted">No sources.</p>;
  return (
    <ol className="sources">
      {sources.map((source, i) => (
        <li key={`${source.url}-${i}`} id={`source-${i + 1}`} className={highlight === i + 1 ? "highlight" : undefined}>
          {/^https?:\/\//i.test(source.url) ? (
            <a href={source.url} target="_blank" rel="noopener noreferrer">
              {source.title || source.url}
            </a>
          ) : (
            // A drive file (drive://…) has no address a browser can open.
            <span className="strong">{source.title || source.url}</span>
          )}
          <div className="muted small mono clamp">{source.url}</div>
          {source.snippet && <p className="small">{source.snippet}</p>}
        </li>
      ))}
    </ol>
  );
}
