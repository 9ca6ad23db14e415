import { useState, type FormEvent } from "react";
import { CopyButton, ErrorBanner, Loading, PageHeader } from "../components/ui";
import { api, ApiError, type ApiKey, type Page } from "../lib/api";
import { formatTime } from "../lib/format";
import { useAsync } from "../lib/useAsync";

const scopes = ["runs:read", "runs:write", "agents:write", "admin"];

/** The organization's API keys (admin scope): create one (its secret is shown once) or revoke one. */
export function ApiKeysPage() {
  const keys = useAsync((signal) => api<Page<ApiKey>>("/v1/api-keys", { query: { limit: 100 }, signal }), []);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>(["runs:read", "runs:write"]);
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const key = await api<ApiKey>("/v1/api-keys", { method: "POST", body: { name: name.trim(), scopes: chosen } });
      setCreated(key);
      setName("");
      keys.reload();
    } catch (reason) {
      setError(reason);
    }
  };

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke "${key.name}"? Clients using it stop working at once.`)) return;
    setError(undefined);
    try {
      await api(`/v1/api-keys/${key.id}`, { method: "DELETE" });
      keys.reload();
    } catch (reason) {
      setError(reason);
    }
  };

  if (keys.error instanceof ApiError && keys.error.status === 403) {
    return (
      <>
        <PageHeader title="API keys" />
        <div className="banner">Managing API keys needs a key with the admin scope.</div>
      </>
    );
  }

  return (
    <>
      <PageHeader title="API keys" subtitle="Keys belong to this organization. The secret is shown only when a key is created." />
      <ErrorBanner error={error ?? keys.error} />
      {created && (
        <div className="banner banner-success" role="status" data-testid="new-key">
          New key <strong>{created.name}</strong>: <code className="secret">{created.key}</code> <CopyButton text={created.key ?? ""} className="button button-small" />
          <div className="small">Copy it now; it is not shown again.</div>
        </div>
      )}
      <form className="card inline-form" onSubmit={create}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. CI pipeline" />
        </label>
        <fieldset className="checkbox-row">
          <legend>Scopes</legend>
          {scopes.map((scope) => (
            <label key={scope} className="checkbox">
              <input type="checkbox" checked={chosen.includes(scope)} onChange={(e) => setChosen(e.target.checked ? [...chosen, scope] : chosen.filter((s) => s !== scope))} />
              <span className="mono">{scope}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button button-primary" disabled={name.trim() === "" || chosen.length === 0}>
          Create key
        </button>
      </form>
      {!keys.data && <Loading />}
      {keys.data && (
        <div className="card table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Scopes</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id} data-key-id={key.id}>
                  <td>
                    {key.name}
                    <div className="muted small mono">{key.id}</div>
                  </td>
                  <td>
                    {key.scopes.map((s) => (
                      <span key={s} className="chip mono">
                        {s}
                      </span>
                    ))}
                  </td>
                  <td>{formatTime(key.createdAt)}</td>
                  <td>
                    <button type="button" className="button button-small button-danger" onClick={() => revoke(key)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
