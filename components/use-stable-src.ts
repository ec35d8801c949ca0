'use client';

import { useState } from 'react';

const MAX_SWAPS = 3;

function withoutQuery(url: string): string {
  const i = url.search(/[?#]/);
  return i === -1 ? url : url.slice(0, i);
}

/**
 * Signed URLs come back with a fresh signature on every poll. Swapping a playing <video>'s src
 * for an equivalent URL would restart it, so the first URL for an object is kept until the
 * element reports an error (typically: the signature expired). Then the latest URL is used, or,
 * if there is none newer yet, `onStale` asks for fresh data. A URL for a different object (a
 * different path) is taken at once.
 */
export function useStableSrc(url: string | null, onStale?: () => void) {
  const [state, setState] = useState({ src: url, broken: false, swaps: 0 });
  let { src } = state;
  const sameObject = src !== null && url !== null && withoutQuery(src) === withoutQuery(url);
  if (url !== src && (!sameObject || (state.broken && state.swaps < MAX_SWAPS))) {
    // Adjusting state while rendering: React re-renders straight away with the new src.
    setState({ src: url, broken: false, swaps: sameObject ? state.swaps + 1 : 0 });
    src = url;
  }

  const onError = () => {
    if (state.swaps >= MAX_SWAPS) return;
    if (url && url !== src) {
      setState({ src: url, broken: false, swaps: state.swaps + 1 });
    } else if (!state.broken) {
      setState({ ...state, src, broken: true });
      onStale?.();
    }
  };

  return { src, onError };
}
