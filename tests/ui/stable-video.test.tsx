import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StableVideo } from '@/components/stable-video';

describe('StableVideo captions track', () => {
  it("labels the captions with the narration's language", () => {
    const html = renderToStaticMarkup(<StableVideo src="/v.mp4" captionsUrl="/c.vtt" captionsLanguage="es" />);
    expect(html).toContain('srcLang="es"');
    expect(html).toContain('label="Español"');
    // Old videos and unknown tags: English, or the tag as it came.
    expect(renderToStaticMarkup(<StableVideo src="/v.mp4" captionsUrl="/c.vtt" />)).toContain('srcLang="en" label="English"');
    expect(renderToStaticMarkup(<StableVideo src="/v.mp4" captionsUrl="/c.vtt" captionsLanguage="nl" />)).toContain('label="nl"');
  });
});
