// "Your videos" search and status chips, and the video page's Share control: their markup and the SWR
// keys the filters make (each filter is part of the key, so every filtered list is cached on its own).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ShareControls } from '@/components/share-controls';
import { NoMatches, SEARCH_DEBOUNCE_MS, statusChips, VideoFiltersBar } from '@/components/video-list';
import { noFilters, videosPageKey, videosPageKeyFor } from '@/lib/swr/use-videos';
import { terminalStatuses, videoStatuses } from '@/lib/videos/types';

describe('list keys with filters', () => {
  it('carry q (encoded, trimmed) and the statuses, and keep the cursor after them', () => {
    const key = videosPageKeyFor({ q: '  100% & bees ', status: ['completed', 'failed'] });
    expect(key(0, null)).toBe('/api/videos?limit=12&q=100%25%20%26%20bees&status=completed,failed');
    expect(key(1, { videos: [], nextCursor: 'a+b' })).toBe('/api/videos?limit=12&q=100%25%20%26%20bees&status=completed,failed&cursor=a%2Bb');
    expect(key(1, { videos: [], nextCursor: null })).toBeNull();
  });

  it('differ between filters, and without filters are the plain list’s', () => {
    const keys = [noFilters, { q: 'bee', status: [] }, { q: '', status: ['failed'] as const }, { q: 'bee', status: ['failed'] as const }]
      .map((f) => videosPageKeyFor(f)(0, null));
    expect(new Set(keys).size).toBe(4);
    expect(keys[0]).toBe(videosPageKey(0, null));
    expect(videosPageKeyFor({ q: '   ', status: [] })(0, null)).toBe('/api/videos?limit=12');
  });
});

describe('status chips', () => {
  it('start with All, and between them name every status exactly once', () => {
    expect(statusChips[0]).toEqual({ id: 'all', label: 'All', statuses: [] });
    const named = statusChips.flatMap((c) => c.statuses);
    expect([...named].sort()).toEqual([...videoStatuses].sort());
    const running = statusChips.find((c) => c.label === 'In progress')!;
    expect(running.statuses.some((s) => terminalStatuses.includes(s))).toBe(false);
    expect(statusChips.map((c) => c.label)).toEqual(['All', 'In progress', 'Ready', 'Failed', 'Cancelled']);
  });

  it('render as a labelled group of toggle buttons, the chosen one pressed, beside a labelled search box', () => {
    const html = renderToStaticMarkup(<VideoFiltersBar text="bees" onText={() => {}} chip="running" onChip={() => {}} />);
    const input = /<input id="([^"]+)" type="search" [^>]*value="bees"[^>]*>/.exec(html);
    expect(input).not.toBeNull();
    expect(html).toContain(`<label class="field-label" for="${input![1]}">Search your videos</label>`);
    expect(input![0]).toContain('maxLength="100"');
    expect(html).toContain('role="group" aria-label="Show videos by status"');
    expect(html).toContain('<button type="button" class="chip" aria-pressed="true">In progress</button>');
    expect(html).toContain('<button type="button" class="chip" aria-pressed="false">All</button>');
    expect(SEARCH_DEBOUNCE_MS).toBeGreaterThanOrEqual(200);
  });

  it('say so when nothing matches, and offer the way back', () => {
    const html = renderToStaticMarkup(<NoMatches filters={{ q: 'octopus', status: ['failed'] }} chip="failed" onClear={() => {}} />);
    expect(html).toContain('No videos match');
    expect(html).toContain('Nothing with “<span dir="auto">octopus</span>” in its topic among “Failed”.');
    expect(html).toContain('Show all videos');
    expect(renderToStaticMarkup(<NoMatches filters={{ q: '', status: ['failed'] }} chip="failed" onClear={() => {}} />))
      .toContain('You have no videos among “Failed”.');
  });
});

describe('Share control', () => {
  it('offers Share until a link exists', () => {
    const html = renderToStaticMarkup(<ShareControls videoId="00000000-0000-4000-8000-000000000001" topic="Bees" />);
    expect(html).toBe('<button type="button" class="button">Share</button>');
  });
});
