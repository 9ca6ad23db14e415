import { useEffect, useState, useSyncExternalStore } from "react";
import { createBrowserRouter, NavLink, Outlet, RouterProvider, useNavigate } from "react-router";
import { getApiKey, setApiKey } from "./lib/api";
import { AgentDetailPage } from "./pages/AgentDetail";
import { AgentEditorPage } from "./pages/AgentEditor";
import { AgentsPage } from "./pages/Agents";
import { ApiKeysPage } from "./pages/ApiKeys";
import { ComparePage } from "./pages/Compare";
import { DriveDetailPage, DrivesPage } from "./pages/Drives";
import { MonitoringPage } from "./pages/Monitoring";
import { NotFoundPage } from "./pages/NotFound";
import { RunDetailRoute } from "./pages/RunDetail";
import { RunsPage } from "./pages/Runs";
import { SignInPage } from "./pages/SignIn";

function subscribeAuth(callback: () => void) {
  window.addEventListener("agentry:auth", callback);
  window.addEventListener("storage", callback);
  return () => {
    window.removeEventListener("agentry:auth", callback);
    window.removeEventListener("storage", callback);
  };
}

type Theme = "light" | "dark" | "system";

function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem("agentry.theme") as Theme | null) ?? "system");
  useEffect(() => {
    localStorage.setItem("agentry.theme", theme);
    if (theme === "system") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.setAttribute("data-theme", theme);
  }, [theme]);
  return [theme, setTheme];
}

/** Two-key shortcuts: g a (agents), g r (runs), g c (compare), g m (monitoring), g d (drives), g k (API keys). */
function useShortcuts() {
  const navigate = useNavigate();
  useEffect(() => {
    let pending = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.ctrlKey || event.metaKey || event.altKey || target.closest("input, textarea, select, [contenteditable]")) return;
      if (pending) {
        pending = false;
        const to = { a: "/agents", r: "/runs", c: "/compare", m: "/monitoring", d: "/drives", k: "/api-keys" }[event.key];
        if (to) {
          event.preventDefault();
          navigate(to);
        }

        return;
      }

      if (event.key === "g") {
        pending = true;
        clearTimeout(timer);
        timer = setTimeout(() => (pending = false), 1000);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);
}

function Layout() {
  const key = useSyncExternalStore(subscribeAuth, getApiKey);
  const [theme, setTheme] = useTheme();
  const [menuOpen, setMenuOpen] = useState(false);
  useShortcuts();
  if (key === null) return <SignInPage />;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className={`sidebar${menuOpen ? " open" : ""}`}>
        <div className="sidebar-inner">
          <div className="brand">
            <span className="logo" aria-hidden="true">
              A
            </span>
            Agentry
            <button type="button" className="menu-toggle button-ghost" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
              Menu
            </button>
          </div>
          <nav id="main-nav" aria-label="Main" onClick={() => setMenuOpen(false)}>
            <NavLink to="/agents">Agents</NavLink>
            <NavLink to="/runs">Runs</NavLink>
            <NavLink to="/compare">Compare</NavLink>
            <NavLink to="/monitoring">Monitoring</NavLink>
            <NavLink to="/drives">Drives</NavLink>
            <NavLink to="/api-keys">API keys</NavLink>
          </nav>
          <div className="sidebar-footer">
            <label className="theme-select">
              Theme
              <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
                <option value="system">System</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            </label>
            <button type="button" className="button button-ghost" onClick={() => setApiKey(null)}>
              Sign out
            </button>
          </div>
        </div>
      </aside>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <AgentsPage /> },
      { path: "agents", element: <AgentsPage /> },
      { path: "agents/new", element: <AgentEditorPage /> },
      { path: "agents/:agentId", element: <AgentDetailPage /> },
      { path: "agents/:agentId/edit", element: <AgentEditorPage /> },
      { path: "runs", element: <RunsPage /> },
      { path: "runs/:runId", element: <RunDetailRoute /> },
      { path: "compare", element: <ComparePage /> },
      { path: "monitoring", element: <MonitoringPage /> },
      { path: "drives", element: <DrivesPage /> },
      { path: "drives/:driveId", element: <DriveDetailPage /> },
      { path: "api-keys", element: <ApiKeysPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
