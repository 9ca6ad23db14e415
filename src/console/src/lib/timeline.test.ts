import { describe, expect, it } from "vitest";
import { countByType, emptyTimeline, timelineReducer, type RunEvent, type Timeline } from "./timeline";

function event(seq: number, position: number, extra: Partial<RunEvent> = {}): RunEvent {
  return {
    id: `run_1:${seq}`,
    runId: "run_1",
    seq,
    position,
    type: "narration",
    data: { content: `step ${seq}@${position}` },
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:00.000Z",
    timestamp: "2026-01-01T00:00:00.000Z",
    ...extra,
  };
}

function receive(state: Timeline, ...events: RunEvent[]): Timeline {
  return timelineReducer(state, { type: "received", events });
}

describe("timelineReducer", () => {
  it("appends new events in seq order and tracks the last position", () => {
    const state = receive(emptyTimeline, event(1, 1), event(2, 2), event(3, 3));
    expect(state.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(state.lastPosition).toBe(3);
  });

  it("replaces an event in place when a later change of the same seq arrives", () => {
    const running = event(2, 2, { type: "tool_call", finishedAt: null, data: { name: "searchWeb" } });
    const finished = event(2, 4, { type: "tool_call", finishedAt: "2026-01-01T00:00:01.000Z", data: { name: "searchWeb", output: { hits: 3 } } });
    const state = receive(emptyTimeline, event(1, 1), running, event(3, 3), finished);
    expect(state.events).toHaveLength(3);
    expect(state.events[1]).toBe(finished);
    expect(state.lastPosition).toBe(4);
  });

  it("ignores duplicates and returns the same state object", () => {
    const first = receive(emptyTimeline, event(1, 1), event(2, 2));
    const again = receive(first, event(1, 1), event(2, 2));
    expect(again).toBe(first);
  });

  it("ignores an older copy of an event that was already updated", () => {
    const updated = receive(emptyTimeline, event(1, 1), event(1, 5));
    const stale = receive(updated, event(1, 1));
    expect(stale).toBe(updated);
    expect(stale.events[0].position).toBe(5);
  });

  it("resumes after a dropped connection without losing or repeating events", () => {
    // The first connection saw positions 1..3, then dropped; the server replays the current state of every event changed
    // after position 3 (the cursor), plus live changes — and a careless client may also replay from the start.
    const beforeDrop = receive(emptyTimeline, event(1, 1), event(2, 2, { finishedAt: null }), event(3, 3));
    const cursor = beforeDrop.lastPosition;
    expect(cursor).toBe(3);
    const afterResume = receive(beforeDrop, event(2, 4), event(4, 5), event(5, 6));
    const replayedAll = receive(afterResume, event(1, 1), event(2, 4), event(3, 3), event(4, 5), event(5, 6));
    expect(replayedAll).toBe(afterResume);
    expect(afterResume.events.map((e) => `${e.seq}@${e.position}`)).toEqual(["1@1", "2@4", "3@3", "4@5", "5@6"]);
  });

  it("places an event that arrives out of seq order where it belongs", () => {
    const state = receive(emptyTimeline, event(3, 3), event(1, 1), event(2, 2));
    expect(state.events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("handles ten thousand events in one batch", () => {
    const batch = Array.from({ length: 10_000 }, (_, i) => event(i + 1, i + 1));
    const state = receive(emptyTimeline, ...batch);
    expect(state.events).toHaveLength(10_000);
    expect(state.lastPosition).toBe(10_000);
    const updated = receive(state, event(5_000, 10_001, { data: { content: "changed" } }));
    expect(updated.events[4_999].data).toEqual({ content: "changed" });
    expect(updated.events).toHaveLength(10_000);
  });

  it("marks the end once and resets to empty", () => {
    const ended = timelineReducer(receive(emptyTimeline, event(1, 1)), { type: "ended" });
    expect(ended.ended).toBe(true);
    expect(timelineReducer(ended, { type: "ended" })).toBe(ended);
    expect(timelineReducer(ended, { type: "reset" })).toBe(emptyTimeline);
  });
});

describe("countByType", () => {
  it("counts each type", () => {
    expect(countByType([event(1, 1), event(2, 2, { type: "tool_call" }), event(3, 3)])).toEqual({ narration: 2, tool_call: 1 });
  });
});
