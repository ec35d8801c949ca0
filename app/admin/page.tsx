import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { AdminDashboard } from '@/components/admin/admin-dashboard';
import { AdminLogin } from '@/components/admin/admin-login';
import { adminCookieValue } from '@/lib/admin/auth';
import { adminPageState } from '@/lib/admin/page-state';

export const metadata: Metadata = {
  title: 'Admin',
  robots: { index: false, follow: false },
};

// The shell decides who sees what; the numbers are fetched (and polled) by the client components.
export default async function AdminPage() {
  const jar = await cookies();
  const state = await adminPageState(adminCookieValue((name) => jar.get(name)?.value));
  if (state === 'disabled') notFound();
  return (
    <div className="admin">
      <header className="admin-head">
        <p className="eyebrow">Operator</p>
        <h1>Queue and videos</h1>
        <p className="muted">
          Live from the database. Actions here act on any owner’s videos and are recorded in the event log.
        </p>
      </header>
      {state === 'signed-in' ? <AdminDashboard /> : <AdminLogin />}
    </div>
  );
}
