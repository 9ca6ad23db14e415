import { Link } from "react-router";
import { ErrorBanner, Loading, PageHeader, PublicationBadge } from "../components/ui";
import { api, type Agent, type Page } from "../lib/api";
import { formatRelative } from "../lib/format";
import { useAsync } from "../lib/useAsync";

/** Every agent of the organization, loaded page by page (the API gives at most 100 at a time). */
export async function loadAllAgents(signal?: AbortSignal): Promise<Agent[]> {
  const agents: Agent[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await api<Page<Agent>>("/v1/agents", { query: { limit: 100, offset }, signal });
    agents.push(...page.items);
    if (page.items.length < 100 || agents.length >= page.total) return agents;
  }
}

export function AgentsPage() {
  const { data, error, loading } = useAsync((signal) => loadAllAgents(signal), []);
  return (
    <>
      <PageHeader
        title="Agents"
        subtitle="Define what an agent does; every change makes a revision, and runs use the published one."
        actions={
          <Link className="button button-primary" to="/agents/new">
            New agent
          </Link>
        }
      />
      <ErrorBanner error={error} />
      {loading && !data && <Loading />}
      {data && data.length === 0 && (
        <div className="empty card">
          <h2>No agents yet</h2>
          <p>Create one to start running it.</p>
          <Link className="button button-primary" to="/agents/new">
            New agent
          </Link>
        </div>
      )}
      {data && data.length > 0 && (
        <div className="table-wrap card">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th className="hide-narrow">Model stack</th>
                <th className="hide-narrow">Result</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {data.map((agent) => (
                <tr key={agent.id} data-agent-id={agent.id}>
                  <td>
                    <Link to={`/agents/${agent.id}`} className="strong">
                      {agent.name}
                    </Link>
                    {agent.description && <div className="muted small clamp">{agent.description}</div>}
                  </td>
                  <td>
                    <PublicationBadge agent={agent} />
                  </td>
                  <td className="hide-narrow mono small">{agent.modelStackId}</td>
                  <td className="hide-narrow">{agent.resultType}</td>
                  <td title={agent.updatedAt}>{formatRelative(agent.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
