'use client';

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface LoggedAction {
  id: number;
  label: string;
  message: string;
  ok: boolean;
  at: number;
}

type Add = (entry: Omit<LoggedAction, 'id' | 'at'>) => void;
const Ctx = createContext<{ entries: LoggedAction[]; add: Add }>({ entries: [], add: () => {} });
const KEEP = 8;

/**
 * What this session's actions did. A row's own inline result vanishes when the row does (a retried
 * video leaves the failures table), so every result is also kept here.
 */
export function ActionLogProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<LoggedAction[]>([]);
  const add = useCallback<Add>((entry) => {
    setEntries((list) => [{ ...entry, id: (list[0]?.id ?? 0) + 1, at: Date.now() }, ...list].slice(0, KEEP));
  }, []);
  const value = useMemo(() => ({ entries, add }), [entries, add]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useActionLog() {
  return useContext(Ctx);
}

export function ActionLog() {
  const { entries } = useActionLog();
  if (entries.length === 0) return null;
  return (
    <section className="card admin-section" aria-labelledby="admin-log">
      <h2 id="admin-log">Your recent actions</h2>
      <ol className="admin-log">
        {entries.map((e) => (
          <li key={e.id} className={e.ok ? 'admin-ok' : 'admin-error'}>
            <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toLocaleTimeString()}</time>{' '}
            <strong>{e.label}:</strong> {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
