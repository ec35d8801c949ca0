'use client';

import { useRef, type VideoHTMLAttributes } from 'react';
import { languageNames } from '@/lib/providers/languages';
import { useStableSrc } from './use-stable-src';

/** The language's own name for the captions menu; an unknown tag is shown as it is. */
const languageLabel = (tag: string): string => (Object.hasOwn(languageNames, tag) ? languageNames[tag as keyof typeof languageNames] : tag);

interface StableVideoProps
  extends Omit<VideoHTMLAttributes<HTMLVideoElement>, 'src' | 'poster' | 'onError' | 'onLoadedMetadata' | 'children'> {
  /** The latest (signed) URL from the API; may change on every poll. */
  src: string | null;
  poster?: string | null;
  /** Captions (WebVTT) in the narration's language. */
  captionsUrl?: string | null;
  /** BCP 47 tag of the captions; English when unknown. */
  captionsLanguage?: string;
  /** Called when the current URL stopped working and no newer one is known: refetch. */
  onStale?: () => void;
}

/** Captions from another origin (e.g. blob storage) only load on a CORS-enabled <video>. */
function isCrossOrigin(url: string | null): boolean {
  if (!url || typeof window === 'undefined') return false;
  try {
    return new URL(url, window.location.href).origin !== window.location.origin;
  } catch {
    return false;
  }
}

/** A <video> that survives re-signed URLs: it keeps its URL until that URL fails, then resumes in place. */
export function StableVideo({ src, poster, captionsUrl, captionsLanguage = 'en', onStale, ...rest }: StableVideoProps) {
  const video = useStableSrc(src, onStale);
  const image = useStableSrc(poster ?? null);
  const track = useStableSrc(captionsUrl ?? null, onStale);
  const resumeAt = useRef(0);

  return (
    <video
      crossOrigin={isCrossOrigin(captionsUrl ?? null) ? 'anonymous' : undefined}
      {...rest}
      src={video.src ?? undefined}
      poster={image.src ?? undefined}
      onError={(e) => {
        resumeAt.current = e.currentTarget.currentTime;
        video.onError();
      }}
      onLoadedMetadata={(e) => {
        if (resumeAt.current > 0) {
          e.currentTarget.currentTime = resumeAt.current;
          resumeAt.current = 0;
        }
      }}
    >
      {track.src ? (
        <track kind="captions" src={track.src} srcLang={captionsLanguage} label={languageLabel(captionsLanguage)} default onError={track.onError} />
      ) : null}
    </video>
  );
}
