import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useRef, useState } from "react";
import type { RunEvent } from "../lib/timeline";
import { formatCost, formatDuration, formatNumber } from "../lib/format";
import { JsonTree } from "./ui";

const textTypes = new Set(["planning", "reasoning", "narration"]);

/** One line that says what an event was. */
export function summarize(event: RunEvent): string {
  const data = event.data ?? {};
  switch (event.type) {
    case "status":
      return `${String(data.previous ?? "—")} → ${String(data.status)}${data.reason ? ` (${String(data.reason)})` : ""}`;
    case "planning":
    case "reasoning":
    case "narration":
      return String(data.content ?? "");
    case "tool_call":
      return `${String(data.name)}${event.finishedAt === null ? " — running…" : data.error ? " — failed" : ""}`;
    case "model_call":
      return `${String(data.model ?? "model")} · ${formatNumber(Number(data.inputTokens ?? 0))} in / ${formatNumber(Number(data.outputTokens ?? 0))} out · ${formatCost(Number(data.costUsd ?? 0))}${data.durationMs !== undefined ? ` · ${formatDuration(Number(data.durationMs))}` : ""}`;
    case "context_compression":
      return `${formatNumber(Number(data.tokensBefore))} → ${formatNumber(Number(data.tokensAfter))} tokens`;
    case "source":
      return String(data.title || data.url || "");
    case "result":
      return `result ready (${String(data.resultType ?? "")})`;
    case "error":
      return `${String(data.code ?? "error")}: ${String(data.message ?? "")}`;
    default:
      return JSON.stringify(data);
  }
}

interface TimelineProps {
  events: readonly RunEvent[];
  origin: number;
  failingSeq: number | null;
  live: boolean;
}

/** The run's events as a virtualised list: smooth with tens of thousands of rows; rows expand in place. */
export function Timeline({ events, origin, failingSeq, live }: TimelineProps) {
  const parent = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set(failingSeq !== null ? [failingSeq] : []));
  const [follow, setFollow] = useState(true);
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 40,
    overscan: 12,
    getItemKey: (index) => events[index].seq,
  });

  // Keep the newest event in view while the user has not scrolled up.
  useEffect(() => {
    if (live && follow && events.length > 0 && failingSeq === null) virtualizer.scrollToIndex(events.length - 1, { align: "end" });
  }, [events.length, live, follow, failingSeq, virtualizer]);

  // On failure, open the failing step and bring it into view once it is loaded.
  const failingIndex = failingSeq === null ? -1 : events.findIndex((e) => e.seq === failingSeq);
  useEffect(() => {
    if (failingIndex < 0) return;
    setExpanded((current) => new Set([...current, failingSeq!]));
    virtualizer.scrollToIndex(failingIndex, { align: "center" });
  }, [failingIndex, failingSeq, virtualizer]);

  const toggle = (seq: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  const onScroll = () => {
    const element = parent.current;
    if (!element) return;
    setFollow(element.scrollHeight - element.scrollTop - element.clientHeight < 48);
  };

  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <div className="timeline" ref={parent} onScroll={onScroll} role="list" aria-label="Run events" data-testid="timeline">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((item) => {
          const event = events[item.index];
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${item.start}px)` }}
              role="listitem"
            >
              <EventRow event={event} origin={origin} open={expanded.has(event.seq)} failing={event.seq === failingSeq} onToggle={toggle} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

const EventRow = memo(function EventRow({ event, origin, open, failing, onToggle }: { event: RunEvent; origin: number; open: boolean; failing: boolean; onToggle: (seq: number) => void }) {
  const offset = new Date(event.startedAt).getTime() - origin;
  const expandable = !textTypes.has(event.type) && event.type !== "status";
  const running = event.finishedAt === null && (event.type === "tool_call" || event.type === "model_call");
  const duration = event.finishedAt ? new Date(event.finishedAt).getTime() - new Date(event.startedAt).getTime() : null;
  return (
    <div className={`event event-${event.type}${failing ? " failing" : ""}${running ? " running" : ""}`} data-seq={event.seq} data-type={event.type}>
      <div className="event-line">
        <span className="event-seq mono">#{event.seq}</span>
        <span className="event-time mono">+{formatDuration(Math.max(0, offset))}</span>
        <span className={`event-type type-${event.type}`}>{event.type.replace("_", " ")}</span>
        {expandable ? (
          <button type="button" className="event-summary link-button" aria-expanded={open} onClick={() => onToggle(event.seq)}>
            {summarize(event)}
          </button>
        ) : (
          <span className={`event-summary${textTypes.has(event.type) ? " event-text" : ""}`}>{summarize(event)}</span>
        )}
        {duration !== null && duration > 0 && <span className="event-duration mono">{formatDuration(duration)}</span>}
        {running && <span className="spinner small" aria-label="running" />}
      </div>
      {open && expandable && (
        <div className="event-detail">
          {event.type === "tool_call" ? (
            <div className="io">
              <div>
                <h4>Input</h4>
                <JsonTree value={event.data.input} />
              </div>
              <div>
                <h4>{event.data.error ? "Error" : "Output"}</h4>
                {event.data.error !== undefined && event.data.error !== null ? (
                  <JsonTree value={event.data.error} />
                ) : event.finishedAt === null ? (
                  <p className="muted">Running…</p>
                ) : (
                  <JsonTree value={event.data.output} />
                )}
              </div>
            </div>
          ) : (
            <JsonTree value={event.data} />
          )}
        </div>
      )}
    </div>
  );
});

/** Steps over time: one bar per step that spans time (model and tool calls, compression). */
export function Waterfall({ events, origin, end, failingSeq }: { events: readonly RunEvent[]; origin: number; end: number; failingSeq: number | null }) {
  const spans = events.filter((e) => e.type === "tool_call" || e.type === "model_call" || e.type === "context_compression");
  const shown = spans.slice(0, 400);
  const total = Math.max(1, end - origin);
  if (spans.length === 0) return <p className="muted">No timed steps yet.</p>;
  return (
    <div className="waterfall" data-testid="waterfall">
      <div className="waterfall-scale">
        <span>0</span>
        <span>{formatDuration(total / 2)}</span>
        <span>{formatDuration(total)}</span>
      </div>
      {shown.map((event) => {
        const start = new Date(event.startedAt).getTime() - origin;
        const stop = (event.finishedAt ? new Date(event.finishedAt).getTime() : end) - origin;
        const left = Math.min(100, Math.max(0, (start / total) * 100));
        const width = Math.max(0.4, Math.min(100 - left, ((stop - start) / total) * 100));
        const label = event.type === "tool_call" ? String(event.data.name) : event.type === "model_call" ? String(event.data.model ?? "model") : "compression";
        return (
          <div key={event.seq} className={`wf-row${event.seq === failingSeq ? " failing" : ""}`} title={`#${event.seq} ${label}: ${formatDuration(stop - start)}`}>
            <span className="wf-label">
              <span className="mono muted">#{event.seq}</span> {label}
            </span>
            <span className="wf-track">
              <span className={`wf-bar type-${event.type}${event.finishedAt === null ? " running" : ""}`} style={{ left: `${left}%`, width: `${width}%` }} />
            </span>
            <span className="wf-duration mono">{formatDuration(stop - start)}</span>
          </div>
        );
      })}
      {spans.length > shown.length && <p className="muted small">Showing the first {shown.length} of {spans.length} steps.</p>}
    </div>
  );
}
