import { authHeaders } from "./api";

/** One server-sent message. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export type StreamEnd = "ended" | "no-content" | "closed";

/**
 * Reads one server-sent-event stream over fetch (EventSource cannot send the API key header) until the server closes
 * it or `signal` aborts it. Answers "no-content" for 204 (the run is over and everything was sent before), "closed"
 * when the connection ended without `event: end`. Throws on network errors and error statuses.
 */
export async function readEventStream(
  path: string,
  lastEventId: string | null,
  signal: AbortSignal,
  onMessage: (message: SseMessage) => void,
  onOpen?: () => void,
): Promise<StreamEnd> {
  const headers: Record<string, string> = { Accept: "text/event-stream", ...authHeaders() };
  if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
  const response = await fetch(path, { headers, signal, cache: "no-store" });
  if (response.status === 204) return "no-content";
  if (!response.ok || response.body === null) throw new Error(`The stream answered ${response.status}.`);
  onOpen?.();

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let id: string | null = null;
  let event = "message";
  let data: string[] = [];
  let sawEnd = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline: number;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") {
        if (data.length > 0 || event !== "message") {
          if (event === "end") sawEnd = true;
          onMessage({ id, event, data: data.join("\n") });
        }

        event = "message";
        data = [];
        continue;
      }

      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(text);
      else if (field === "event") event = text;
      else if (field === "id") id = text;
    }
  }

  return sawEnd ? "ended" : "closed";
}

/**
 * Keeps a stream open: reconnects after drops with a growing pause, resuming from `cursor()` (the last position the
 * caller holds), until the server ends it, the caller aborts, or a 204 says there is nothing more.
 */
export function followEventStream(
  path: (cursor: string | null) => string,
  cursor: () => string | null,
  onMessage: (message: SseMessage) => void,
  onState: (state: "live" | "reconnecting" | "ended") => void,
): () => void {
  const controller = new AbortController();
  void (async () => {
    let pause = 500;
    while (!controller.signal.aborted) {
      try {
        const end = await readEventStream(
          path(cursor()),
          cursor(),
          controller.signal,
          (message) => {
            pause = 500;
            onMessage(message);
          },
          () => onState("live"),
        );
        if (end !== "closed") {
          onState("ended");
          return;
        }
      } catch {
        if (controller.signal.aborted) return;
      }

      onState("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 10_000);
    }
  })();
  return () => controller.abort();
}
