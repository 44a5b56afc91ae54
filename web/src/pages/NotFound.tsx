import { Link } from '@tanstack/react-router';

export function NotFound() {
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p>
        There is no page here. <Link to="/incidents">Back to incidents</Link>
      </p>
    </main>
  );
}
