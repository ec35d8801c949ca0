'use client';

import { useSyncExternalStore } from 'react';

/** Whether the page is in a background tab (or minimised). False outside a browser. */
export function isPageHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

function subscribe(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}

/** Re-renders when the tab is hidden or shown again; false during server rendering. */
export function usePageHidden(): boolean {
  return useSyncExternalStore(subscribe, isPageHidden, () => false);
}

/** Calls `onVisible` each time the tab comes back to the foreground. */
export function onPageVisible(onVisible: () => void): () => void {
  const handler = () => {
    if (!isPageHidden()) onVisible();
  };
  document.addEventListener('visibilitychange', handler);
  return () => document.removeEventListener('visibilitychange', handler);
}
