'use client';

import { useEffect } from 'react';

/** Sets document.title while mounted (or until `title` is null) and restores the previous one after. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title === null) return;
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
