import { Link } from "react-router";
import { PageHeader } from "../components/ui";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" subtitle="There is nothing at this address." />
      <Link to="/agents">Go to agents</Link>
    </>
  );
}
