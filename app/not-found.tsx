import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="card empty-state not-found">
      <p className="eyebrow">404</p>
      <h1>Page not found</h1>
      <p className="muted">There’s nothing at this address. It may have moved, or the link may be mistyped.</p>
      <Link href="/" className="button button-primary">
        Back to Cueframe
      </Link>
    </div>
  );
}
