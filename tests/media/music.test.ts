// Music beds: chord progressions (not drones), ducked under the narration by at least 12 dB in the speech
// band, at a level that follows musicVolume. Measured on decoded audio, not on the filter graph's text.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '@/lib/media/binaries';
import { concatClips } from '@/lib/media/compose';
import { musicBeds } from '@/lib/media/music-beds';
import { bedProgression, mixMusicBed, musicMixFor, renderMusicBed, type AudibleBed } from '@/lib/media/music';
import { probeDetailed } from '@/lib/media/probe';
import { DEFAULT_MUSIC_VOLUME } from '@/lib/schemas/video';
import { makeTmpDir } from './fixtures';
import { bandEnergy, changes, db, decodeMono, dominantPitchClasses } from './spectrum';

const run = promisify(execFile);
const ffmpeg = (args: string[]) => run(resolveFfmpegPath(), ['-v', 'error', '-y', ...args], { maxBuffer: 64 * 1024 * 1024 });

const beds = musicBeds.filter((b): b is AudibleBed => b !== 'none');
const DEFAULT_VOLUME = DEFAULT_MUSIC_VOLUME;
const RATE = 16000;
const FRAME = 512; // 32 ms

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
let speechVideo: string;
let speechKind: 'espeak-ng' | 'stand-in';

/**
 * Real speech from eSpeak NG when the package is installed (the speech branch brings it), otherwise a
 * stand-in with speech's spectrum and rhythm: pink noise band-limited to 300-3400 Hz, syllables gated at
 * 4 Hz, two seconds of talk and one of pause, at narration level (about -20 dBFS while talking).
 */
async function makeSpeechWav(outPath: string): Promise<typeof speechKind> {
  try {
    const name = 'espeak-ng';
    const mod = (await import(/* @vite-ignore */ name)) as {
      default: (o: { arguments: string[] }) => Promise<{ FS: { readFile(p: string): Uint8Array } }>;
    };
    const text = 'Bees make honey from the nectar of flowers. They carry it home to the hive. There it slowly thickens, and the bees seal it with wax.';
    const e = await mod.default({ arguments: ['-v', 'en-us', '-w', '/speech.wav', text] });
    await writeFile(outPath, e.FS.readFile('/speech.wav'));
    return 'espeak-ng';
  } catch {
    await ffmpeg([
      '-f', 'lavfi', '-i',
      'anoisesrc=c=pink:a=0.5:r=48000:d=9:seed=7,highpass=f=300,highpass=f=300,lowpass=f=3400,lowpass=f=3400,' +
        "volume='2.2*if(lt(mod(t,3),2),if(lt(mod(t,0.25),0.17),1,0),0)':eval=frame",
      outPath,
    ]);
    return 'stand-in';
  }
}

beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-music-');
  const wav = path.join(tmp.dir, 'speech.wav');
  speechKind = await makeSpeechWav(wav);
  // A composed video as compose hands it over: H.264 picture, the narration as 48 kHz stereo AAC.
  speechVideo = path.join(tmp.dir, 'composed.mp4');
  await ffmpeg([
    '-f', 'lavfi', '-i', 'color=c=gray:s=320x180:r=30', '-i', wav, '-shortest',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ar', '48000', '-ac', '2', speechVideo,
  ]);
}, 120_000);
afterAll(async () => {
  await tmp.cleanup();
});

/** Frames in which someone is speaking: the narration's band energy within 10 dB of its loud syllables. */
function speechFrames(speech: number[]): boolean[] {
  const sorted = [...speech].sort((a, b) => a - b);
  const loud = sorted[Math.floor(sorted.length * 0.9)];
  return speech.map((e) => e >= loud / 10);
}

async function margins(bed: AudibleBed, volume: number) {
  const mixPath = path.join(tmp.dir, `mix-${bed}-${volume}.mp4`);
  const duckedPath = path.join(tmp.dir, `ducked-${bed}-${volume}.mp4`);
  await Promise.all([
    mixMusicBed({ videoPath: speechVideo, bed, volume, outPath: mixPath }),
    mixMusicBed({ videoPath: speechVideo, bed, volume, outPath: duckedPath, stem: 'ducked-bed' }),
  ]);
  const [speech, mix, ducked] = await Promise.all(
    [speechVideo, mixPath, duckedPath].map(async (f) => bandEnergy(await decodeMono(f, RATE), RATE, FRAME, 300, 3400)),
  );
  const talking = speechFrames(speech);
  let mixSum = 0;
  let bedSum = 0;
  const perFrame: number[] = [];
  talking.forEach((on, i) => {
    if (!on) return;
    mixSum += mix[i];
    bedSum += ducked[i];
    perFrame.push(db(mix[i] / ducked[i]));
  });
  perFrame.sort((a, b) => a - b);
  return { overall: db(mixSum / bedSum), p5: perFrame[Math.floor(perFrame.length * 0.05)], frames: perFrame.length };
}

describe('music bed ducking', () => {
  it.each(beds.flatMap((bed) => [1, DEFAULT_VOLUME].map((volume) => [bed, volume] as const)))(
    '%s at musicVolume %s: while the narration speaks, the speech band is >= 12 dB above the bed',
    async (bed, volume) => {
      const m = await margins(bed, volume);
      console.info(`[music] ${speechKind} ${bed} volume ${volume}: ${m.overall.toFixed(1)} dB overall, ${m.p5.toFixed(1)} dB in the 5th-percentile frame (${m.frames} speech frames)`);
      expect(m.frames).toBeGreaterThan(50);
      expect(m.overall).toBeGreaterThanOrEqual(12);
      // Not only on average: 95% of the speaking frames, onsets included.
      expect(m.p5).toBeGreaterThanOrEqual(12);
    },
    60_000,
  );

  it('keeps the video stream as it was and the audio exactly as long as the narration', async () => {
    const outPath = path.join(tmp.dir, 'kept.mp4');
    const { durationMs } = await mixMusicBed({ videoPath: speechVideo, bed: 'calm', volume: 1, outPath });
    const [before, after] = await Promise.all([probeDetailed(speechVideo), probeDetailed(outPath)]);
    expect(after.streams.map((s) => [s.type, s.codec])).toEqual([['video', 'h264'], ['audio', 'aac']]);
    expect(after.streams[0]).toEqual(before.streams.find((s) => s.type === 'video'));
    const samples = async (f: string) => (await decodeMono(f, 48000)).length;
    expect(Math.abs((await samples(outPath)) - (await samples(speechVideo)))).toBeLessThanOrEqual(1024);
    expect(Math.abs(durationMs - before.durationMs)).toBeLessThanOrEqual(25);
    const { stdout: a } = await run(resolveFfmpegPath(), ['-v', 'error', '-i', speechVideo, '-map', '0:v', '-c', 'copy', '-f', 'md5', '-']);
    const { stdout: b } = await run(resolveFfmpegPath(), ['-v', 'error', '-i', outPath, '-map', '0:v', '-c', 'copy', '-f', 'md5', '-']);
    expect(b).toBe(a); // copied packet for packet, not re-encoded
  }, 60_000);
});

describe('music beds are chord progressions', () => {
  const RATE_PC = 8000;
  const WINDOW = 4096; // ~0.5 s, hop ~0.25 s
  const pitchClassesOf = async (file: string) => {
    const s = await decodeMono(file, RATE_PC);
    // Eight seconds after the fade-in.
    return dominantPitchClasses(s.subarray(RATE_PC, RATE_PC * 9), RATE_PC, WINDOW);
  };

  it.each(beds)('%s: the dominant pitch class follows the chord roots, changing at least 3 times in 8 s', async (bed) => {
    const outPath = path.join(tmp.dir, `bed-${bed}.m4a`);
    await renderMusicBed({ bed, durationMs: 10_000, volume: 1, outPath });
    const pcs = await pitchClassesOf(outPath);
    expect(changes(pcs)).toBeGreaterThanOrEqual(3);
    const roots = new Set(bedProgression(bed).roots.map((m) => m % 12));
    // Every chord of the progression is heard as the loudest pitch class somewhere in the loop.
    for (const r of roots) expect(pcs).toContain(r);
  }, 60_000);

  it('a sustained chord, and the old narration drone, fail the same check', async () => {
    const chordPath = path.join(tmp.dir, 'sustained.m4a');
    const midi = (m: number) => 440 * 2 ** ((m - 69) / 12);
    // The calm bed's first chord (C: C3 | C4 E4 G4) held for 10 s, with the same harmonics.
    const v = (f: number, a: number) => `${a}*(sin(2*PI*${f}*t)+0.3*sin(4*PI*${f}*t)+0.1*sin(6*PI*${f}*t))`;
    await ffmpeg(['-f', 'lavfi', '-i', `aevalsrc='${[v(midi(48), 0.27), v(midi(60), 0.16), v(midi(64), 0.14), v(midi(67), 0.14)].join('+')}':s=48000:d=10`, '-c:a', 'aac', chordPath]);
    const dronePath = path.join(tmp.dir, 'drone.m4a');
    // The two-sine pad that once stood in for narration (root and fifth, a 0.2 Hz swell).
    const drone = '(0.075*sin(2*PI*130.81*t)+0.045*sin(2*PI*196.215*t))*(0.85+0.15*sin(2*PI*0.2*t))';
    await ffmpeg(['-f', 'lavfi', '-i', `aevalsrc='${drone}':s=48000:d=10`, '-c:a', 'aac', dronePath]);
    for (const file of [chordPath, dronePath]) expect(changes(await pitchClassesOf(file))).toBeLessThan(3);
  }, 60_000);
});

describe('musicVolume', () => {
  it('scales the bed level monotonically, in proportion to the volume', async () => {
    const levels: number[] = [];
    for (const volume of [0.1, 0.3, 0.6, 1]) {
      const outPath = path.join(tmp.dir, `vol-${volume}.m4a`);
      await renderMusicBed({ bed: 'calm', durationMs: 4000, volume, outPath });
      const s = await decodeMono(outPath, RATE);
      levels.push(db(s.reduce((n, x) => n + x * x, 0) / s.length));
    }
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThan(levels[i - 1]);
    // Linear gain: 0.1 -> 1 is 20 dB.
    expect(levels[3] - levels[0]).toBeCloseTo(20, 0);
  }, 60_000);

  it("'none' and volume 0 mean no bed at all: compose's concat leaves the narration untouched", async () => {
    expect(musicMixFor('none', 0.8)).toBeUndefined();
    expect(musicMixFor('calm', 0)).toBeUndefined();
    expect(musicMixFor('pulse', 0.5)).toEqual({ bed: 'pulse', volume: 0.5 });
    const plain = path.join(tmp.dir, 'plain.mp4');
    const none = path.join(tmp.dir, 'none.mp4');
    const withBed = path.join(tmp.dir, 'with-bed.mp4');
    await concatClips([speechVideo], plain);
    await concatClips([speechVideo], none, { music: musicMixFor('none', 1) });
    await concatClips([speechVideo], withBed, { music: musicMixFor('calm', DEFAULT_VOLUME) });
    const [a, b, c] = await Promise.all([plain, none, withBed].map((f) => decodeMono(f, RATE)));
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(Buffer.from(c.buffer).equals(Buffer.from(a.buffer))).toBe(false);
  }, 60_000);

  it('rejects a volume outside 0..1 before starting ffmpeg', async () => {
    await expect(renderMusicBed({ bed: 'calm', durationMs: 1000, volume: 1.5, outPath: path.join(tmp.dir, 'x.m4a') })).rejects.toThrow(/0\.\.1/);
  });
});
