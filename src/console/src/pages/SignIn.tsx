import { useState, type FormEvent } from "react";
import { ApiError, setApiKey } from "../lib/api";

/** Asks for an API key, checks it against the server, and keeps it for this browser tab only. */
export function SignInPage() {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await fetch("/v1/runs?limit=1", { headers: { "X-API-Key": key.trim(), Accept: "application/json" } });
      if (response.status === 401) throw new ApiError(401, "unauthorized", "The server does not know this API key.", []);
      setApiKey(key.trim());
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit}>
        <div className="brand brand-large">
          <span className="logo" aria-hidden="true">
            A
          </span>
          Agentry
        </div>
        <h1>Sign in</h1>
        <p className="muted">
          Paste an API key. The server prints a sign-in link with the admin key when it starts for the first time; the key is also in{" "}
          <code>data/admin.key</code>.
        </p>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus required />
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy || key.trim() === ""}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        <p className="muted small">The key stays in this tab's session storage and is sent only to this server.</p>
      </form>
    </div>
  );
}
