'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import { errorMessage } from '@/lib/swr/fetcher';
import { adminOverviewKey, adminSession } from '@/lib/swr/use-admin';

/** Exchanges the admin token for a session cookie (httpOnly, so this page never holds the token afterwards). */
export function AdminLogin({ expired = false }: { expired?: boolean }) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await adminSession('POST', token);
      setToken('');
      await mutate(adminOverviewKey);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card admin-login" onSubmit={(e) => void submit(e)} aria-labelledby="admin-login-title">
      <h2 id="admin-login-title">Sign in</h2>
      {expired ? <p className="alert alert-neutral" role="status">Your admin session ended. Sign in again.</p> : null}
      <div className="field">
        <label htmlFor="admin-token" className="field-label">Admin token</label>
        <input
          id="admin-token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby="admin-token-hint"
        />
        <p id="admin-token-hint" className="field-hint">
          The admin token this server was set up with. This browser stays signed in for 12 hours.
        </p>
      </div>
      {error ? <p className="alert alert-warning" role="alert">{error}</p> : null}
      <button type="submit" className="button button-primary" disabled={busy || token === ''}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
