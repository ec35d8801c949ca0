import Link from 'next/link';

// /admin answers 404 while ADMIN_TOKEN is unset: the admin area fails closed.
export default function AdminNotFound() {
  return (
    <div className="card empty-state not-found">
      <p className="eyebrow">404</p>
      <h1>Page not found</h1>
      <p className="muted">
        If you run this server: the admin area stays turned off, and answers 404 everywhere, until an admin token is
        set up for it (see the README).
      </p>
      <Link href="/" className="button button-primary">
        Back to Cueframe
      </Link>
    </div>
  );
}
