/** The console's only way to the server: the public HTTP API (API.md) with the signed-in key. */

const keyStorage = "agentry.apiKey";

export function getApiKey(): string | null {
  return sessionStorage.getItem(keyStorage);
}

export function setApiKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(keyStorage);
  else sessionStorage.setItem(keyStorage, key);
  window.dispatchEvent(new Event("agentry:auth"));
}

/** A field error of a problem (API.md "Errors"). */
export interface ProblemFieldError {
  path: string;
  keyword?: string;
  message: string;
}

/** An error answer of the API, with its problem JSON. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: ProblemFieldError[];

  constructor(status: number, code: string, message: string, errors: ProblemFieldError[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
}

export function url(path: string, query?: RequestOptions["query"]): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }

  const text = search.toString();
  return text === "" ? path : `${path}?${text}`;
}

export function authHeaders(): Record<string, string> {
  const key = getApiKey();
  return key === null ? {} : { "X-API-Key": key };
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...authHeaders() };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url(path, options.query), {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text.length > 0 ? safeJson(text) : null;
  if (!response.ok) {
    const problem = (json ?? {}) as { error?: string; message?: string; title?: string; errors?: ProblemFieldError[] };
    if (response.status === 401) setApiKey(null);
    throw new ApiError(response.status, problem.error ?? `http_${response.status}`, problem.message ?? problem.title ?? response.statusText, problem.errors ?? []);
  }

  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The message to show for any failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  nextCursor?: string | null;
}

export interface Limits {
  maxSteps?: number | null;
  timeoutSeconds?: number | null;
  maxTokens?: number | null;
  maxCostUsd?: number | null;
}

export interface Tool {
  source: string;
  type?: string;
  serverId?: string;
  enabledTools?: string[];
}

export interface AgentConfig {
  modelStackId: string;
  goalPrompt: string;
  inputSchema: unknown;
  tools: Tool[];
  resultType: "document" | "json";
  resultSchema?: unknown;
  customPlanningInstructions?: string | null;
  customToolCallInstructions?: string | null;
  customResultInstructions?: string | null;
  enableContextCompression?: boolean;
  drives?: { driveId: string }[];
  limits?: Limits | null;
}

export interface Agent extends AgentConfig {
  id: string;
  name: string;
  description?: string | null;
  webhookUrl?: string | null;
  isActive: boolean;
  latestRevisionId: string;
  publishedRevisionId?: string | null;
  isPublished: boolean;
  hasChanges: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Revision {
  id: string;
  agentId: string;
  createdAt: string;
  isPublished: boolean;
  config?: AgentConfig;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  modelCalls: number;
  toolCalls: number;
}

export interface Source {
  url: string;
  title: string;
  snippet?: string | null;
}

export type RunStatus = "pending" | "running" | "done" | "error";

export interface Run {
  id: string;
  agentId: string;
  revisionId: string;
  status: RunStatus;
  statusMessage?: string | null;
  input: unknown;
  error: { code: string; message: string; eventSeq?: number | null } | null;
  resultType: "document" | "json";
  resultData: unknown;
  sources: Source[];
  usage: Usage;
  model?: string | null;
  attempt: number;
  metadata?: unknown;
  createdAt: string;
  startedAt?: string | null;
  completedAt?: string | null;
  updatedAt: string;
}

export interface ModelStack {
  id: string;
  provider: string;
  model: string;
  available: boolean;
  reason?: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  key?: string;
  createdAt: string;
}

export const runErrorCodes = [
  "cancelled",
  "timeout",
  "budget_exceeded",
  "worker_lost",
  "model_error",
  "model_unavailable",
  "tool_error",
  "tool_unavailable",
  "invalid_result",
  "internal",
];

export const isTerminal = (status: RunStatus): boolean => status === "done" || status === "error";
