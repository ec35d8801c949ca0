'use client';

// "Notify me when it's ready": the browser's Notification permission plus a per-video opt-in kept in
// sessionStorage (so leaving the page and coming back keeps it), as one small external store.
// Permission is only ever requested from a click: never on load.
import { useSyncExternalStore } from 'react';

export type NotifyPermission = NotificationPermission | 'unsupported';

const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab may change the opt-in; the browser may change the permission (site settings).
  window.addEventListener('storage', listener);
  window.addEventListener('focus', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
    window.removeEventListener('focus', listener);
  };
}

export function notifyPermission(): NotifyPermission {
  return typeof window !== 'undefined' && 'Notification' in window ? Notification.permission : 'unsupported';
}

const storageKey = (videoId: string) => `cueframe:notify:${videoId}`;

function wantsNotice(videoId: string): boolean {
  try {
    return sessionStorage.getItem(storageKey(videoId)) === '1';
  } catch {
    return false; // storage blocked: the opt-in lasts for this page only (see memory below)
  }
}

const memory = new Set<string>();

export function setWantsNotice(videoId: string, on: boolean): void {
  if (on) memory.add(videoId);
  else memory.delete(videoId);
  try {
    if (on) sessionStorage.setItem(storageKey(videoId), '1');
    else sessionStorage.removeItem(storageKey(videoId));
  } catch {
    /* kept in memory */
  }
  emit();
}

/** Asks the browser; call only from a user's click. */
export async function requestNotifyPermission(): Promise<NotifyPermission> {
  if (notifyPermission() === 'unsupported') return 'unsupported';
  const result = await Notification.requestPermission();
  emit();
  return result;
}

export interface NotifyState {
  permission: NotifyPermission;
  /** The person asked to be told about this video. */
  wanted: boolean;
  /** Both: a notification will be shown when the video finishes. */
  active: boolean;
}

/** The notification state for one video; 'unsupported' during server rendering. */
export function useNotifyState(videoId: string): NotifyState {
  const snapshot = useSyncExternalStore(
    subscribe,
    () => `${notifyPermission()}|${memory.has(videoId) || wantsNotice(videoId) ? 1 : 0}`,
    () => 'unsupported|0',
  );
  const [permission, wanted] = snapshot.split('|') as [NotifyPermission, string];
  return { permission, wanted: wanted === '1', active: wanted === '1' && permission === 'granted' };
}

/** Shows a system notification if allowed; a click brings this tab to the front. Never throws. */
export function showNotification(title: string, options: NotificationOptions): void {
  if (notifyPermission() !== 'granted') return;
  try {
    const n = new Notification(title, options);
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some mobile browsers only allow notifications from a service worker; the in-page notice covers it.
  }
}
