'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage } from '@/lib/swr/fetcher';
import { adminSession, useAdminOverview } from '@/lib/swr/use-admin';
import { ActionLog, ActionLogProvider } from './action-log';
import { AdminLogin } from './admin-login';
import { DeadTasksTable } from './dead-tasks-table';
import { FailedVideosTable } from './failed-videos-table';
import { ProcessNextButton } from './process-next';
import { QueueSummary, ThroughputTable } from './queue-summary';
import { RunningTable } from './running-table';
import { StepTable } from './step-table';
import { VideoIdActions } from './video-id-actions';

function SignOut() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    await adminSession('DELETE').catch(() => {});
    router.refresh();
  };
  return (
    <button type="button" className="button" disabled={busy} onClick={() => void signOut()}>
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

/** The live admin view: everything refreshes every 3 s; actions answer inline and in the log. */
export function AdminDashboard() {
  const { overview, error, isLoading } = useAdminOverview();
  if (error?.status === 401) return <AdminLogin expired />;
  if (error?.status === 404) {
    return <p className="alert alert-warning" role="alert">The admin area has been turned off on this server: it no longer has an admin token.</p>;
  }
  return (
    <ActionLogProvider>
      <div className="admin-toolbar">
        <ProcessNextButton />
        <SignOut />
      </div>
      {error ? (
        <p className="alert alert-warning" role="alert">
          Couldn’t refresh: {errorMessage(error)} {overview ? 'Showing the last numbers received.' : ''}
        </p>
      ) : null}
      <ActionLog />
      {!overview ? (
        <p className="muted" role="status" aria-busy={isLoading}>Loading the queue…</p>
      ) : (
        <div className="admin-grid">
          <p className="muted admin-updated">
            Updated <time dateTime={overview.generatedAt}>{new Date(overview.generatedAt).toLocaleTimeString()}</time>, every 3 s.
          </p>
          <QueueSummary overview={overview} />
          <RunningTable tasks={overview.running} />
          <DeadTasksTable tasks={overview.failures.deadTasks} total={overview.failures.deadTaskCount} />
          <FailedVideosTable videos={overview.failures.failedVideos} total={overview.failures.failedVideoCount} />
          <ThroughputTable overview={overview} />
          <StepTable steps={overview.steps} />
          <VideoIdActions />
        </div>
      )}
    </ActionLogProvider>
  );
}
