import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorBanner, Loading, PageHeader } from "../components/ui";
import { api, ApiError, type Agent, type ModelStack, type Page, type Tool } from "../lib/api";
import { useAsync } from "../lib/useAsync";

const builtinTools = [
  { type: "searchWeb", label: "Search the web" },
  { type: "searchNews", label: "Search news" },
  { type: "browseWebsite", label: "Browse websites" },
  { type: "codeInterpreter", label: "Code interpreter" },
];

const starterInputSchema = {
  type: "object",
  properties: { topic: { type: "string", description: "What to research" } },
  required: ["topic"],
};

interface Draft {
  name: string;
  description: string;
  modelStackId: string;
  goalPrompt: string;
  inputSchema: string;
  resultType: "document" | "json";
  resultSchema: string;
  builtins: string[];
  otherTools: Tool[];
  driveIds: string[];
  enableContextCompression: boolean;
  limits: { maxSteps: string; timeoutSeconds: string; maxTokens: string; maxCostUsd: string };
  customPlanningInstructions: string;
  customToolCallInstructions: string;
  customResultInstructions: string;
}

function draftFrom(agent: Agent | undefined): Draft {
  const limit = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));
  return {
    name: agent?.name ?? "",
    description: agent?.description ?? "",
    modelStackId: agent?.modelStackId ?? "local/offline",
    goalPrompt: agent?.goalPrompt ?? "Research {{topic}} and write a short cited report.",
    inputSchema: JSON.stringify(agent?.inputSchema ?? starterInputSchema, null, 2),
    resultType: agent?.resultType ?? "document",
    resultSchema: agent?.resultSchema ? JSON.stringify(agent.resultSchema, null, 2) : "",
    builtins: (agent?.tools ?? []).filter((t) => t.source === "builtin").map((t) => t.type ?? ""),
    otherTools: (agent?.tools ?? []).filter((t) => t.source !== "builtin"),
    driveIds: (agent?.drives ?? []).map((d) => d.driveId),
    enableContextCompression: agent?.enableContextCompression ?? false,
    limits: {
      maxSteps: limit(agent?.limits?.maxSteps),
      timeoutSeconds: limit(agent?.limits?.timeoutSeconds),
      maxTokens: limit(agent?.limits?.maxTokens),
      maxCostUsd: limit(agent?.limits?.maxCostUsd),
    },
    customPlanningInstructions: agent?.customPlanningInstructions ?? "",
    customToolCallInstructions: agent?.customToolCallInstructions ?? "",
    customResultInstructions: agent?.customResultInstructions ?? "",
  };
}

type Errors = Record<string, string[]>;

function addError(errors: Errors, field: string, message: string) {
  (errors[field] ??= []).push(message);
}

/** The editor's field that a server error path (a JSON pointer into the agent body) belongs to. */
function fieldOfPath(path: string): string {
  const first = path.replace(/^\//, "").split("/")[0];
  return first === "" ? "form" : first;
}

/** Builds the request body, or reports what is wrong in the browser before asking the server. */
function bodyFrom(draft: Draft): { body?: Record<string, unknown>; errors: Errors } {
  const errors: Errors = {};
  const parse = (field: string, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (reason) {
      addError(errors, field, `Not valid JSON: ${(reason as Error).message}`);
      return undefined;
    }
  };
  const number = (field: string, text: string): number | null => {
    if (text.trim() === "") return null;
    const value = Number(text);
    if (!Number.isFinite(value)) addError(errors, "limits", `/limits/${field} must be a number`);
    return value;
  };

  if (draft.name.trim() === "") addError(errors, "name", "A name is required.");
  if (draft.goalPrompt.trim() === "") addError(errors, "goalPrompt", "A goal prompt is required.");
  const inputSchema = parse("inputSchema", draft.inputSchema);
  const resultSchema = draft.resultType === "json" ? parse("resultSchema", draft.resultSchema) : undefined;
  const limits = {
    maxSteps: number("maxSteps", draft.limits.maxSteps),
    timeoutSeconds: number("timeoutSeconds", draft.limits.timeoutSeconds),
    maxTokens: number("maxTokens", draft.limits.maxTokens),
    maxCostUsd: number("maxCostUsd", draft.limits.maxCostUsd),
  };
  const anyLimit = Object.values(limits).some((v) => v !== null);
  const body: Record<string, unknown> = {
    name: draft.name.trim(),
    description: draft.description,
    modelStackId: draft.modelStackId,
    goalPrompt: draft.goalPrompt,
    inputSchema,
    resultType: draft.resultType,
    tools: [...draft.builtins.map((type) => ({ source: "builtin", type })), ...draft.otherTools],
    drives: draft.driveIds.map((driveId) => ({ driveId })),
    enableContextCompression: draft.enableContextCompression,
    customPlanningInstructions: draft.customPlanningInstructions || null,
    customToolCallInstructions: draft.customToolCallInstructions || null,
    customResultInstructions: draft.customResultInstructions || null,
  };
  if (draft.resultType === "json") body.resultSchema = resultSchema;
  if (anyLimit) body.limits = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== null));
  return Object.keys(errors).length > 0 ? { errors } : { body, errors };
}

export function AgentEditorPage() {
  const { agentId } = useParams();
  const navigate = useNavigate();
  const existing = useAsync((signal) => (agentId ? api<Agent>(`/v1/agents/${agentId}`, { signal }) : Promise.resolve(undefined)), [agentId]);
  const stacks = useAsync((signal) => api<Page<ModelStack> | ModelStack[]>("/v1/model-stacks", { query: { limit: 100 }, signal }), []);
  const drives = useAsync((signal) => api<Page<{ id: string; name: string }>>("/v1/drives", { query: { limit: 100 }, signal }), []);
  const [draft, setDraft] = useState<Draft | null>(agentId ? null : draftFrom(undefined));
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (existing.data) setDraft(draftFrom(existing.data));
  }, [existing.data]);

  if (existing.error) return <ErrorBanner error={existing.error} />;
  if (!draft) return <Loading />;
  const stackList = Array.isArray(stacks.data) ? stacks.data : (stacks.data?.items ?? []);
  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: local } = bodyFrom(draft);
    setErrors(local);
    setProblem(null);
    if (!body) {
      setProblem("Fix the marked fields.");
      return;
    }

    setSaving(true);
    try {
      const saved = agentId
        ? await api<Agent>(`/v1/agents/${agentId}`, { method: "PATCH", body })
        : await api<Agent>("/v1/agents", { method: "POST", body });
      navigate(`/agents/${saved.id}`);
    } catch (reason) {
      if (reason instanceof ApiError) {
        const server: Errors = {};
        for (const error of reason.errors) addError(server, fieldOfPath(error.path), error.message);
        setErrors(server);
        setProblem(reason.message);
      } else {
        setProblem(String(reason));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="editor">
      <PageHeader
        title={agentId ? `Edit ${existing.data?.name ?? "agent"}` : "New agent"}
        subtitle={agentId ? "Saving a change of configuration makes a new revision; publish it to make runs use it." : "An agent turns an input into a researched document or JSON result."}
        actions={
          <>
            <Link className="button button-ghost" to={agentId ? `/agents/${agentId}` : "/agents"}>
              Cancel
            </Link>
            <button type="submit" className="button button-primary" disabled={saving}>
              {saving ? "Saving…" : agentId ? "Save" : "Create agent"}
            </button>
          </>
        }
      />
      {problem && (
        <div className="banner banner-error" role="alert" data-testid="form-problem">
          {problem}
        </div>
      )}
      {errors.form && <FieldErrorList messages={errors.form} field="form" />}
      <div className="card form-grid">
        <EditorField label="Name" field="name" errors={errors} required>
          <input id="agent-name" value={draft.name} onChange={(e) => update({ name: e.target.value })} aria-invalid={!!errors.name} />
        </EditorField>
        <EditorField label="Description" field="description" errors={errors}>
          <input id="agent-description" value={draft.description} onChange={(e) => update({ description: e.target.value })} />
        </EditorField>
        <EditorField label="Model stack" field="modelStackId" errors={errors} required>
          <select id="agent-modelStackId" value={draft.modelStackId} onChange={(e) => update({ modelStackId: e.target.value })}>
            {!stackList.some((s) => s.id === draft.modelStackId) && <option value={draft.modelStackId}>{draft.modelStackId}</option>}
            {stackList.map((stack) => (
              <option key={stack.id} value={stack.id} disabled={!stack.available && stack.id !== draft.modelStackId}>
                {stack.id}
                {stack.available ? "" : ` — unavailable: ${stack.reason ?? ""}`}
              </option>
            ))}
          </select>
        </EditorField>
        <EditorField label="Result type" field="resultType" errors={errors} required>
          <select id="agent-resultType" value={draft.resultType} onChange={(e) => update({ resultType: e.target.value as Draft["resultType"] })}>
            <option value="document">Document (Markdown with citations)</option>
            <option value="json">JSON (validated against a result schema)</option>
          </select>
        </EditorField>
        <EditorField label="Goal prompt" field="goalPrompt" errors={errors} required wide help="A Handlebars template over the input, e.g. {{topic}}.">
          <textarea id="agent-goalPrompt" rows={4} value={draft.goalPrompt} onChange={(e) => update({ goalPrompt: e.target.value })} aria-invalid={!!errors.goalPrompt} />
        </EditorField>
        <EditorField label="Input schema" field="inputSchema" errors={errors} required wide help="JSON Schema (2020-12 unless $schema says draft-07). The run form is generated from it.">
          <textarea
            id="agent-inputSchema"
            className="mono"
            rows={12}
            spellCheck={false}
            value={draft.inputSchema}
            onChange={(e) => update({ inputSchema: e.target.value })}
            aria-invalid={!!errors.inputSchema}
          />
        </EditorField>
        {draft.resultType === "json" && (
          <EditorField label="Result schema" field="resultSchema" errors={errors} required wide>
            <textarea
              id="agent-resultSchema"
              className="mono"
              rows={10}
              spellCheck={false}
              value={draft.resultSchema}
              onChange={(e) => update({ resultSchema: e.target.value })}
              aria-invalid={!!errors.resultSchema}
            />
          </EditorField>
        )}
        <EditorField label="Tools" field="tools" errors={errors} wide>
          <div className="checkbox-row" id="agent-tools">
            {builtinTools.map((tool) => (
              <label key={tool.type} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.builtins.includes(tool.type)}
                  onChange={(e) => update({ builtins: e.target.checked ? [...draft.builtins, tool.type] : draft.builtins.filter((t) => t !== tool.type) })}
                />
                <span>{tool.label}</span>
              </label>
            ))}
          </div>
          {draft.otherTools.length > 0 && <p className="muted small">Also keeps {draft.otherTools.length} MCP tool configuration(s).</p>}
        </EditorField>
        <EditorField label="Drives" field="drives" errors={errors} wide help="Files the agent can search and read, and cite as sources.">
          <div className="checkbox-row" id="agent-drives">
            {(drives.data?.items ?? []).length === 0 && <span className="muted small">No drives yet.</span>}
            {(drives.data?.items ?? []).map((drive) => (
              <label key={drive.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.driveIds.includes(drive.id)}
                  onChange={(e) => update({ driveIds: e.target.checked ? [...draft.driveIds, drive.id] : draft.driveIds.filter((d) => d !== drive.id) })}
                />
                <span>{drive.name}</span>
              </label>
            ))}
          </div>
        </EditorField>
        <EditorField label="Limits" field="limits" errors={errors} wide>
          <div className="limits">
            {(["maxSteps", "timeoutSeconds", "maxTokens", "maxCostUsd"] as const).map((name) => (
              <label key={name}>
                <span className="small muted">{name}</span>
                <input inputMode="decimal" value={draft.limits[name]} onChange={(e) => update({ limits: { ...draft.limits, [name]: e.target.value } })} placeholder="default" />
              </label>
            ))}
          </div>
        </EditorField>
        <EditorField label="Context compression" field="enableContextCompression" errors={errors}>
          <label className="checkbox">
            <input type="checkbox" checked={draft.enableContextCompression} onChange={(e) => update({ enableContextCompression: e.target.checked })} />
            <span>Summarise older context when it grows large</span>
          </label>
        </EditorField>
        <details className="wide">
          <summary>Custom instructions</summary>
          {(["customPlanningInstructions", "customToolCallInstructions", "customResultInstructions"] as const).map((name) => (
            <EditorField key={name} label={name.replace("custom", "").replace("Instructions", " instructions")} field={name} errors={errors} wide>
              <textarea rows={3} value={draft[name]} onChange={(e) => update({ [name]: e.target.value })} />
            </EditorField>
          ))}
        </details>
      </div>
    </form>
  );
}

function EditorField({ label, field, errors, children, required, wide, help }: { label: string; field: string; errors: Errors; children: ReactNode; required?: boolean; wide?: boolean; help?: string }) {
  return (
    <div className={`field${wide ? " wide" : ""}${errors[field] ? " has-error" : ""}`} data-field={field}>
      <label htmlFor={`agent-${field}`}>
        {label}
        {required && (
          <span className="required" aria-label="required">
            *
          </span>
        )}
      </label>
      {children}
      {help && <p className="field-help">{help}</p>}
      {errors[field] && <FieldErrorList messages={errors[field]} field={field} />}
    </div>
  );
}

function FieldErrorList({ messages, field }: { messages: string[]; field: string }) {
  return (
    <ul className="field-error" data-error-for={field}>
      {messages.map((message, i) => (
        <li key={i}>{message}</li>
      ))}
    </ul>
  );
}
