import { isTerminal } from '@/lib/swr/use-video';
import type { UsageView, VideoView } from '@/lib/videos/types';
import { formatCost, formatCount, formatSeconds } from './format';

export function hasUsage(usage: UsageView): boolean {
  return Object.values(usage).some((n) => typeof n === 'number' && n > 0);
}

/** Shown once something was spent, and always for a finished video (if only to say "Free"). */
export function showUsage(video: Pick<VideoView, 'status' | 'usage'>): boolean {
  return video.status === 'completed' || hasUsage(video.usage);
}

/**
 * The rows to list: the cost always, the rest only when non-zero. A local video uses no paid service, so
 * it is free; what its rendering cost the server is shown apart, labelled as compute, never as its price.
 */
export function usageRows(video: Pick<VideoView, 'usage' | 'provider'>): { label: string; value: string }[] {
  const u = video.usage;
  const rows: [string, number, (n: number) => string][] = [
    ['LLM tokens', u.llmTokens, formatCount],
    ['Images', u.images, formatCount],
    ['Narration characters', u.ttsCharacters, formatCount],
    ['Runway video', u.runwaySeconds, formatSeconds],
    ['Render time', u.renderSeconds, formatSeconds],
  ];
  const local = video.provider === 'local';
  const cost = local
    ? [{ label: 'Cost', value: 'Free' }, ...(u.costUsd > 0 ? [{ label: 'Compute cost (local)', value: formatCost(u.costUsd, video.provider) }] : [])]
    : [{ label: 'Estimated cost', value: formatCost(u.costUsd, video.provider) }];
  return [
    ...cost,
    ...rows.filter(([, n]) => n > 0).map(([label, n, format]) => ({ label, value: format(n) })),
  ];
}

/** What making this video used, and roughly what it cost. */
export function UsagePanel({ video }: { video: Pick<VideoView, 'status' | 'usage' | 'provider'> }) {
  if (!showUsage(video)) return null;
  return (
    <section className="card usage-panel" aria-labelledby="usage-title">
      <h2 id="usage-title" className="usage-title">Usage</h2>
      <dl className="usage-list">
        {usageRows(video).map((row) => (
          <div key={row.label} className="usage-row">
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      <p className="usage-note">
        {video.provider === 'local' ? 'Made on this server with no paid service; compute is what its rendering time costs' : 'Estimated from list prices'}
        {isTerminal(video.status) ? '.' : ' — updates while the video is being made.'}
      </p>
    </section>
  );
}
