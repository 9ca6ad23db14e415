import { useEffect, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { ErrorBanner, Loading, PageHeader } from "../components/ui";
import { api, ApiError, authHeaders, type Page } from "../lib/api";
import { formatRelative, formatTime } from "../lib/format";
import { useAsync } from "../lib/useAsync";

interface Drive {
  id: string;
  name: string;
  createdAt: string;
}

interface DriveItem {
  kind: "file";
  id: string;
  name: string;
  path: string;
  status: "processing" | "ready" | "error";
  error?: string | null;
  size: number;
  contentType: string;
  modifiedAt: string;
  description?: string | null;
  summary?: string | null;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The organization's drives: files agents can search and read. */
export function DrivesPage() {
  const drives = useAsync((signal) => api<Page<Drive>>("/v1/drives", { query: { limit: 100 }, signal }), []);
  const [name, setName] = useState("");
  const [error, setError] = useState<unknown>(undefined);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api<Drive>("/v1/drives", { method: "POST", body: { name: name.trim() } });
      setName("");
      drives.reload();
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <>
      <PageHeader title="Drives" subtitle="Files that agents can search and read; an agent uses the drives its configuration names." />
      <ErrorBanner error={error ?? drives.error} />
      <form className="card inline-form" onSubmit={create}>
        <label>
          New drive
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Product docs" required />
        </label>
        <button type="submit" className="button button-primary" disabled={name.trim() === ""}>
          Create drive
        </button>
      </form>
      {!drives.data && !drives.error && <Loading />}
      {drives.data && drives.data.items.length === 0 && <div className="empty card">No drives yet.</div>}
      {drives.data && drives.data.items.length > 0 && (
        <div className="card table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Id</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {drives.data.items.map((drive) => (
                <tr key={drive.id} data-drive-id={drive.id}>
                  <td>
                    <Link to={`/drives/${drive.id}`} className="strong">
                      {drive.name}
                    </Link>
                  </td>
                  <td className="mono small">{drive.id}</td>
                  <td>{formatTime(drive.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** One drive: its files with their processing status (refreshed while any is processing), upload and delete. */
export function DriveDetailPage() {
  const { driveId } = useParams();
  const drive = useAsync((signal) => api<Drive>(`/v1/drives/${driveId}`, { signal }).catch(() => undefined), [driveId]);
  const items = useAsync((signal) => api<Page<DriveItem>>(`/v1/drives/${driveId}/items`, { query: { limit: 100 }, signal }), [driveId]);
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [uploading, setUploading] = useState(false);
  const processing = (items.data?.items ?? []).some((item) => item.status === "processing");

  useEffect(() => {
    if (!processing) return;
    const timer = setTimeout(items.reload, 1000);
    return () => clearTimeout(timer);
  }, [processing, items.data, items.reload]);

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(undefined);
    setUploading(true);
    try {
      const form = new FormData();
      form.append("path", path.trim() || `/${file.name}`);
      form.append("file", file);
      const response = await fetch(`/v1/drives/${driveId}/items`, { method: "POST", headers: authHeaders(), body: form });
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as { error?: string; message?: string; errors?: [] };
        throw new ApiError(response.status, problem.error ?? "upload_failed", problem.message ?? response.statusText, problem.errors ?? []);
      }

      setFile(null);
      setPath("");
      (event.target as HTMLFormElement).reset();
      items.reload();
    } catch (reason) {
      setError(reason);
    } finally {
      setUploading(false);
    }
  };

  const remove = async (item: DriveItem) => {
    if (!window.confirm(`Delete ${item.path}?`)) return;
    setError(undefined);
    try {
      await api(`/v1/drives/${driveId}/items/${item.id}`, { method: "DELETE" });
      items.reload();
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <>
      <PageHeader title={drive.data?.name ?? "Drive"} subtitle={<span className="mono">{driveId}</span>} actions={<Link className="button" to="/drives">All drives</Link>} />
      <ErrorBanner error={error ?? items.error} />
      <form className="card inline-form" onSubmit={upload} aria-label="Upload">
        <label>
          File
          <input type="file" name="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
        </label>
        <label>
          Path
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder={file ? `/${file.name}` : "/folder/name.md"} />
        </label>
        <button type="submit" className="button button-primary" disabled={!file || uploading}>
          {uploading ? "Uploading…" : "Upload"}
        </button>
      </form>
      {!items.data && !items.error && <Loading />}
      {items.data && items.data.items.length === 0 && <div className="empty card">No files yet.</div>}
      {items.data && items.data.items.length > 0 && (
        <div className="card table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Path</th>
                <th>Status</th>
                <th className="num">Size</th>
                <th className="hide-narrow">Type</th>
                <th>Modified</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.data.items.map((item) => (
                <tr key={item.id} data-item-path={item.path} data-status={item.status}>
                  <td>
                    <span className="mono">{item.path}</span>
                    {item.summary && <div className="muted small clamp">{item.summary}</div>}
                    {item.error && <div className="field-error">{item.error}</div>}
                  </td>
                  <td>
                    <span className={`badge drive-${item.status}`}>{item.status}</span>
                  </td>
                  <td className="num">{formatSize(item.size)}</td>
                  <td className="hide-narrow mono small">{item.contentType}</td>
                  <td title={item.modifiedAt}>{formatRelative(item.modifiedAt)}</td>
                  <td>
                    <button type="button" className="button button-small button-danger" onClick={() => remove(item)}>
                      Delete
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
