'use client';

import { useEffect, useRef } from 'react';
import { clampPercent } from './format';

/**
 * A 32 × 32 progress ring for the tab's icon: a faint track, an arc for the percentage, and the play
 * mark of the app icon in the middle. Colours are fixed (a favicon can't follow the page's theme) and
 * read on both light and dark tab strips.
 */
export function progressIconSvg(percent: number): string {
  const pct = clampPercent(percent);
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">' +
    '<circle cx="16" cy="16" r="13" fill="#ffffff"/>' +
    '<circle cx="16" cy="16" r="13" fill="none" stroke="#c7cbf0" stroke-width="5"/>' +
    (pct > 0
      ? `<circle cx="16" cy="16" r="13" fill="none" stroke="#4338ca" stroke-width="5" pathLength="100" ` +
        `stroke-dasharray="${pct} 100" transform="rotate(-90 16 16)"${pct < 100 ? ' stroke-linecap="round"' : ''}/>`
      : '') +
    '<path d="M13 10.5v11l8.5-5.5z" fill="#4338ca"/>' +
    '</svg>'
  );
}

export function progressIconHref(percent: number): string {
  return `data:image/svg+xml,${encodeURIComponent(progressIconSvg(percent))}`;
}

interface SavedIcon {
  link: HTMLLinkElement;
  href: string | null;
  type: string | null;
  /** Added by us because the page had no icon link: removed again afterwards. */
  created: boolean;
}

/**
 * While `percent` is a number, the tab's icon is a progress ring showing it; when it becomes null (the
 * video finished) or the page goes away, the page's own icons come back exactly as they were.
 */
export function useFaviconProgress(percent: number | null): void {
  const saved = useRef<SavedIcon[]>([]);
  const active = percent !== null;
  const pct = percent === null ? 0 : clampPercent(percent);

  // Take over the icon links once while active, and hand them back afterwards.
  useEffect(() => {
    if (!active) return;
    const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
    const icons: SavedIcon[] = links.map((link) => ({
      link, href: link.getAttribute('href'), type: link.getAttribute('type'), created: false,
    }));
    if (icons.length === 0) {
      const link = document.createElement('link');
      link.rel = 'icon';
      document.head.appendChild(link);
      icons.push({ link, href: null, type: null, created: true });
    }
    saved.current = icons;
    return () => {
      saved.current = [];
      for (const icon of icons) {
        if (icon.created) {
          icon.link.remove();
          continue;
        }
        if (icon.href === null) icon.link.removeAttribute('href');
        else icon.link.setAttribute('href', icon.href);
        if (icon.type === null) icon.link.removeAttribute('type');
        else icon.link.setAttribute('type', icon.type);
      }
    };
  }, [active]);

  // Redraw the ring when the percentage changes.
  useEffect(() => {
    if (!active) return;
    const href = progressIconHref(pct);
    for (const { link } of saved.current) {
      link.setAttribute('type', 'image/svg+xml');
      link.setAttribute('href', href);
    }
  }, [active, pct]);
}
