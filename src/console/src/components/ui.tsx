import { useState, type KeyboardEvent, type ReactNode } from "react";
import { describeError, type Agent, type RunStatus } from "../lib/api";

export function StatusBadge({ status, code }: { status: RunStatus; code?: string | null }) {
  const label = status === "error" && code ? `${status} · ${code}` : status;
  return (
    <span className={`badge status-${status}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function PublicationBadge({ agent }: { agent: Pick<Agent, "isPublished" | "hasChanges" | "publishedRevisionId"> }) {
  if (!agent.publishedRevisionId) return <span className="badge pub-unpublished">Unpublished</span>;
  if (agent.hasChanges) return <span className="badge pub-changes">Unpublished changes</span>;
  return <span className="badge pub-published">Published</span>;
}

export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <div className="banner banner-error" role="alert">
      {title && <strong>{title}: </strong>}
      {describeError(error)}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </header>
  );
}

export function CopyButton({ text, label = "Copy", className = "button" }: { text: string | (() => string); label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const value = typeof text === "function" ? text() : text;
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard access needs a secure context; fall back to a selection copy.
      const area = document.createElement("textarea");
      area.value = value;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }

    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" className={className} onClick={copy}>
      {copied ? "Copied" : label}
    </button>
  );
}

/** A collapsible JSON tree. */
export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== "object") {
    return (
      <div className="json-line">
        {label}
        <span className={`json-${value === null ? "null" : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }

  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const brackets = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <div className="json-line">
        {label}
        {brackets.join("")}
      </div>
    );
  }

  return (
    <details className="json-node" open={depth < 2}>
      <summary>
        {label}
        {brackets[0]}
        <span className="json-count">{Array.isArray(value) ? `${entries.length} items` : `${entries.length} keys`}</span>
      </summary>
      <div className="json-children">
        {entries.map(([key, child]) => (
          <JsonTree key={key} name={key} value={child} depth={depth + 1} />
        ))}
      </div>
      <div className="json-line">{brackets[1]}</div>
    </details>
  );
}

export function Stat({ label, value, title }: { label: string; value: ReactNode; title?: string }) {
  return (
    <div className="stat" title={title}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
    </div>
  );
}

/** Arrow keys, Home and End move between the tabs of a tablist (the WAI-ARIA tabs pattern); focus follows the choice. */
export function onTabListKeyDown(event: KeyboardEvent<HTMLElement>) {
  const tabs = [...event.currentTarget.querySelectorAll<HTMLElement>("[role='tab']")];
  const current = tabs.indexOf(document.activeElement as HTMLElement);
  if (current < 0) return;
  const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const target = tabs[(next + tabs.length) % tabs.length];
  target.focus();
  target.click();
}
