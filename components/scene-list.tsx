'use client';

import type { SceneView } from '@/lib/videos/types';
import { formatDuration } from './format';
import { StableVideo } from './stable-video';
import { StatusBadge } from './status-badge';

interface SceneListProps {
  scenes: SceneView[];
  /** Output frame size, used for the clips' aspect ratio. */
  width: number;
  height: number;
  /** Refetch the video when a clip's signed URL has expired. */
  onStale?: () => void;
}

/** The script, scene by scene, with each clip playable once rendered. */
export function SceneList({ scenes, width, height, onStale }: SceneListProps) {
  const portrait = height > width ? ' scene-body-portrait' : '';
  return (
    <ol className="scene-list" role="list">
      {scenes.map((scene) => (
        <li key={scene.index} className={`scene scene-${scene.status}`}>
          <div className="scene-head">
            <h3 className="scene-title">Scene {scene.index + 1}</h3>
            <StatusBadge scene={scene.status} />
            {scene.durationMs != null ? (
              <span className="scene-duration">{formatDuration(scene.durationMs)}</span>
            ) : null}
          </div>
          <div className={`scene-body${portrait}${scene.status === 'rendered' && scene.clipUrl ? ' scene-body-clip' : ''}`}>
            {scene.status === 'rendered' && scene.clipUrl ? (
              <StableVideo
                className="scene-clip"
                style={{ aspectRatio: `${width} / ${height}` }}
                src={scene.clipUrl}
                poster={scene.posterUrl}
                onStale={onStale}
                controls
                playsInline
                preload="metadata"
                aria-label={`Scene ${scene.index + 1} clip`}
              />
            ) : null}
            <p className="scene-narration" dir="auto">
              {scene.narration}
            </p>
          </div>
          {scene.status === 'failed' ? (
            <p className="scene-error">
              <strong>This scene didn’t render.</strong>{' '}
              <span dir="auto">{scene.error || 'No reason was given.'}</span>
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
