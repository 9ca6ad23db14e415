/** One event of a run (API.md "Events"). */
export interface RunEvent {
  id: string;
  runId: string;
  seq: number;
  position: number;
  type: string;
  data: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
  timestamp: string;
}

/**
 * What the console holds of a run's events: one entry per `seq`, in `seq` order, each in its latest known state.
 * `lastPosition` is the highest change position seen, which is exactly the cursor a resumed stream continues from.
 */
export interface Timeline {
  readonly events: readonly RunEvent[];
  readonly lastPosition: number;
  readonly ended: boolean;
}

export type TimelineAction =
  | { type: "received"; events: readonly RunEvent[] }
  | { type: "ended" }
  | { type: "reset" };

export const emptyTimeline: Timeline = { events: [], lastPosition: 0, ended: false };

/**
 * Folds creations and changes of events into the timeline. An event replaces what is held for its `seq` only when it
 * is newer (a higher `position`), so a replay after a reconnect, a duplicate or an out-of-date copy changes nothing.
 * Returns the same object when nothing changed, so React skips the render.
 */
export function timelineReducer(state: Timeline, action: TimelineAction): Timeline {
  switch (action.type) {
    case "reset":
      return emptyTimeline;
    case "ended":
      return state.ended ? state : { ...state, ended: true };
    case "received": {
      let events: RunEvent[] | null = null;
      let lastPosition = state.lastPosition;
      for (const event of action.events) {
        const current = events ?? state.events;
        const index = indexOfSeq(current, event.seq);
        if (index >= 0 && current[index].position >= event.position) {
          continue;
        }

        events ??= state.events.slice();
        if (index >= 0) {
          events[index] = event;
        } else {
          events.splice(~index, 0, event);
        }

        lastPosition = Math.max(lastPosition, event.position);
      }

      return events === null ? state : { events, lastPosition, ended: state.ended };
    }
  }
}

/** The index of `seq` in events sorted by seq, or the bitwise complement of where it belongs. */
function indexOfSeq(events: readonly RunEvent[], seq: number): number {
  // Seqs have no gaps, so the event for seq n is almost always at n - 1.
  const guess = seq - 1;
  if (guess >= 0 && guess < events.length && events[guess].seq === seq) {
    return guess;
  }

  if (events.length === 0 || events[events.length - 1].seq < seq) {
    return ~events.length;
  }

  let low = 0;
  let high = events.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = events[middle].seq;
    if (value === seq) return middle;
    if (value < seq) low = middle + 1;
    else high = middle - 1;
  }

  return ~low;
}

/** Counts events by type, for summaries and comparisons. */
export function countByType(events: readonly RunEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    counts[event.type] = (counts[event.type] ?? 0) + 1;
  }

  return counts;
}
