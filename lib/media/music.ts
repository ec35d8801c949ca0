// Music beds, generated offline by ffmpeg from chord progressions, and mixed under the narration with
// sidechain ducking. Nothing is stored: one short loop of the progression is synthesised per run (a few
// hundred thousand expression evaluations), repeated to the video's length inside the same filter graph.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AUDIO_RATE, audioOutputOptions, mp4OutputOptions } from './encoding';
import { abortError, createCommand, runCommand, type MediaRunOptions } from './ffmpeg';
import type { MusicBed } from './music-beds';
import { probeDetailed } from './probe';

export type AudibleBed = Exclude<MusicBed, 'none'>;

interface Progression {
  /** Seconds per chord. */
  chordSec: number;
  /** One entry per chord: the bass note, then the upper voices (MIDI note numbers). */
  chords: ReadonlyArray<{ bass: number; voices: readonly [number, number, number] }>;
  /** How the upper voices sound: a held pad, a plucked arpeggio, or pad chords struck in eighth notes. */
  texture: 'pad' | 'arpeggio' | 'pulse';
  /** Relative loudness of the bass against the upper voices. */
  bass: number;
}

// Voicings move by step from chord to chord (common tones held), so each change is heard as harmony
// moving rather than as a new test tone. Bass roots are distinct from chord to chord, which is also what
// makes the progression measurable: the dominant pitch class follows the root.
const progressions: Record<AudibleBed, Progression> = {
  // I–V–vi–IV in C major, two seconds a chord: a slow, warm pad.
  calm: {
    chordSec: 2,
    chords: [
      { bass: 48, voices: [60, 64, 67] }, // C
      { bass: 43, voices: [59, 62, 67] }, // G
      { bass: 45, voices: [60, 64, 69] }, // Am
      { bass: 41, voices: [60, 65, 69] }, // F
    ],
    texture: 'pad',
    bass: 0.9,
  },
  // I–vi–ii–V in G major, a chord every 1.5 s, as a plucked arpeggio over a soft bass.
  bright: {
    chordSec: 1.5,
    chords: [
      { bass: 43, voices: [67, 71, 74] }, // G
      { bass: 40, voices: [67, 71, 76] }, // Em
      { bass: 45, voices: [69, 72, 76] }, // Am
      { bass: 38, voices: [66, 69, 74] }, // D
    ],
    texture: 'arpeggio',
    bass: 0.8,
  },
  // vi–IV–I–V in C major (the minor-key loop), chords struck on every eighth note over a bass on the beat.
  pulse: {
    chordSec: 2,
    chords: [
      { bass: 45, voices: [60, 64, 69] }, // Am
      { bass: 41, voices: [60, 65, 69] }, // F
      { bass: 48, voices: [60, 64, 67] }, // C
      { bass: 43, voices: [59, 62, 67] }, // G
    ],
    texture: 'pulse',
    bass: 1,
  },
};

/** The progression of a bed, for tests and the capabilities docs: chord roots as MIDI notes and seconds per chord. */
export function bedProgression(bed: AudibleBed): { chordSec: number; roots: number[] } {
  const p = progressions[bed];
  return { chordSec: p.chordSec, roots: p.chords.map((c) => c.bass) };
}

// The loop is synthesised (and ducked) at a quarter of the output rate: every partial stays below 3 kHz, so
// 12 kHz loses nothing audible and quarters the expression evaluations and the compressor's work.
const SYNTH_RATE = 12000;
/** Linear gain of the bed at musicVolume 1: about -20 dBFS RMS, the level of a quiet narration. */
const FULL_SCALE_GAIN = 0.45;
const FADE_IN_SEC = 1;
const FADE_OUT_SEC = 2;

const num = (n: number) => Number(n.toFixed(4)).toString();
const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** Picks the value for the chord whose index is in variable 0, as nested ifs (expressions have no arrays). */
function perChord(values: number[]): string {
  return values.slice(0, -1).reduceRight((rest, v, i) => `if(eq(ld(0),${i}),${num(v)},${rest})`, num(values[values.length - 1]));
}

// A voice with a few soft harmonics: a bare sine reads as a test tone, this as a mellow organ/piano.
const voice = (freqVar: number, amp: number) =>
  `${num(amp)}*(sin(2*PI*ld(${freqVar})*t)+0.3*sin(4*PI*ld(${freqVar})*t)+0.1*sin(6*PI*ld(${freqVar})*t))`;

/**
 * The aevalsrc expression for one pass of the progression. Variables: 0 chord index, 1 time inside the
 * chord, 2 bass frequency, 3-5 the upper voices, 6 the chord envelope, 7 the note envelope.
 */
export function bedExpression(bed: AudibleBed): string {
  const p = progressions[bed];
  const d = p.chordSec;
  const attack = p.texture === 'pad' ? 0.2 : 0.06;
  const release = p.texture === 'pad' ? 0.3 : 0.25;
  // Raised-cosine attack and release inside every chord, so each chord swells in and out and the joins
  // (including the loop's own seam) pass through silence without a click.
  const ramp = (x: string) => `(0.5-0.5*cos(PI*min(1,max(0,${x}))))`;
  const setup = [
    `st(0,floor(t/${num(d)}))`,
    `st(1,t-ld(0)*${num(d)})`,
    `st(2,${perChord(p.chords.map((c) => hz(c.bass)))})`,
    ...[0, 1, 2].map((v) => `st(${3 + v},${perChord(p.chords.map((c) => hz(c.voices[v])))})`),
    `st(6,${ramp(`ld(1)/${num(attack)}`)}*${ramp(`(${num(d)}-ld(1))/${num(release)}`)})`,
  ];
  const bass = `${voice(2, 0.3 * p.bass)}*ld(6)`;
  let upper: string;
  if (p.texture === 'pad') {
    upper = `(${voice(3, 0.16)}+${voice(4, 0.14)}+${voice(5, 0.14)})*ld(6)`;
  } else if (p.texture === 'arpeggio') {
    // Eight notes per chord, up and down it (root, third, fifth, third, ...), each plucked and decaying.
    const step = d / 8;
    setup.push(`st(7,exp(-7*(ld(1)-floor(ld(1)/${num(step)})*${num(step)})))`);
    const note = `mod(floor(ld(1)/${num(step)}),4)`;
    const freq = `if(eq(${note},0),ld(3),if(eq(${note},1),ld(4),if(eq(${note},2),ld(5),ld(4))))`;
    upper = `0.3*(sin(2*PI*${freq}*t)+0.25*sin(4*PI*${freq}*t))*ld(7)*ld(6)+0.05*(sin(2*PI*ld(3)*t)+sin(2*PI*ld(5)*t))*ld(6)`;
  } else {
    // Eighth notes at 120 bpm: each strike decays over about 0.15 s over a quiet held chord.
    setup.push('st(7,0.35+0.65*exp(-12*(t-floor(t/0.25)*0.25)))');
    upper = `(${voice(3, 0.14)}+${voice(4, 0.12)}+${voice(5, 0.12)})*ld(7)*ld(6)`;
  }
  return `${setup.join(';')};(${bass}+${upper})`;
}

export function loopSeconds(bed: AudibleBed): number {
  const p = progressions[bed];
  return p.chordSec * p.chords.length;
}

// Past the narration's end, so that the narration decides where the mix ends.
const bedLength = (durationSec: number) => durationSec + 0.5;

/**
 * The bed as a filter-graph chain ending at `label`: one synthesised loop repeated, faded in, faded out to
 * silence at durationSec, at `volume` (linear, 0..1), mono at the synthesis rate (ducking runs there too, a
 * quarter of the work; toOutput brings it to 48 kHz stereo). It runs half a second past durationSec so that
 * whatever it is mixed with decides where the audio ends.
 */
function bedChain(bed: AudibleBed, durationSec: number, volume: number, label: string): string {
  const loopSec = loopSeconds(bed);
  const fadeOut = Math.min(FADE_OUT_SEC, durationSec / 3);
  const fadeIn = Math.min(FADE_IN_SEC, durationSec / 3);
  return [
    // Quoted: the commas and semicolons in the expression are not filter-graph syntax.
    `aevalsrc='${bedExpression(bed)}':s=${SYNTH_RATE}:d=${num(loopSec)}`,
    `aloop=loop=-1:size=${Math.round(loopSec * SYNTH_RATE)}`,
    `atrim=end=${num(bedLength(durationSec))}`,
    'aformat=sample_fmts=fltp:channel_layouts=mono',
    `afade=t=in:st=0:d=${num(fadeIn)}`,
    `afade=t=out:st=${num(Math.max(0, durationSec - fadeOut))}:d=${num(fadeOut)}`,
    `volume=${num(volume * FULL_SCALE_GAIN)}`,
  ].join(',') + `[${label}]`;
}

/** The bed's chain brought to the output's format: 48 kHz stereo. */
const toOutput = `aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;

/**
 * How the bed gets out of the narration's way. The key is the speech itself, boosted so that even a quiet
 * voice sits far above the threshold: at ratio 20 the bed drops by roughly as many dB as the (boosted) voice
 * is over the threshold, within a syllable's first milliseconds (the key also runs ahead of the bed), and
 * it swells back over about half a second once the voice pauses.
 */
export const DUCKING = {
  threshold: 0.02,
  ratio: 20,
  attackMs: 5,
  releaseMs: 400,
  levelSc: 4,
  /** The key runs this far ahead of the bed, so the bed is already down when a syllable starts. */
  lookaheadSec: 0.03,
} as const;

export interface MusicMix {
  bed: AudibleBed;
  /** 0..1, the request's musicVolume. */
  volume: number;
}

/** The mix a video asks for, or none: 'none' and volume 0 skip the bed entirely (the narration is untouched). */
export function musicMixFor(bed: MusicBed, volume: number): MusicMix | undefined {
  if (bed === 'none' || !(volume > 0)) return undefined;
  assertVolume(volume);
  return { bed, volume };
}

/**
 * Filter-graph text that puts the bed under the narration at [speechLabel] and leaves the result at
 * [outLabel], exactly as long as the narration. The narration is split: one copy keys a sidechain
 * compressor on the bed, the other is summed with the ducked bed. 'ducked-bed' leaves only the bed as the
 * mix carries it (still ducked by the narration), to measure how far below the voice it sits.
 */
export function musicGraph(
  m: MusicMix & { speechLabel: string; outLabel: string; durationSec: number; stem?: 'mix' | 'ducked-bed' },
): string {
  assertVolume(m.volume);
  const d = DUCKING;
  return [
    `[${m.speechLabel}]aformat=sample_fmts=fltp:sample_rates=${AUDIO_RATE}:channel_layouts=stereo,asplit=2[mm_speech][mm_key0]`,
    // The key drops its first lookaheadSec: the compressor hears each syllable that much before the bed it
    // acts on, the lookahead sidechaincompress lacks. It is padded with silence to the bed's length, never
    // forever: every branch of the graph must end for ffmpeg to exit.
    // The key is heard as the bed is made: mono, at the synthesis rate (speech energy up to 6 kHz is plenty).
    `[mm_key0]atrim=start=${num(d.lookaheadSec)},asetpts=PTS-STARTPTS,aresample=${SYNTH_RATE},` +
      `aformat=sample_fmts=fltp:channel_layouts=mono,apad=whole_len=${Math.round(bedLength(m.durationSec) * SYNTH_RATE)}[mm_key]`,
    bedChain(m.bed, m.durationSec, m.volume, 'mm_bed'),
    `[mm_bed][mm_key]sidechaincompress=threshold=${d.threshold}:ratio=${d.ratio}:attack=${d.attackMs}:release=${d.releaseMs}` +
      `:level_sc=${d.levelSc}:detection=rms,${toOutput}[mm_ducked]`,
    m.stem === 'ducked-bed'
      ? `[mm_speech][mm_ducked]amerge=inputs=2,pan=stereo|c0=c2|c1=c3[${m.outLabel}]`
      // amerge + pan is an exact sum that ends with the shorter input (the narration: the bed runs longer).
      // amix would halve the narration and, in ffmpeg 4.1, drop its last frames.
      : `[mm_speech][mm_ducked]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[${m.outLabel}]`,
  ].join(';');
}

function assertVolume(volume: number): void {
  if (!Number.isFinite(volume) || volume < 0 || volume > 1) throw new Error(`musicVolume must be within 0..1, got ${volume}`);
}

export interface BedSpec {
  bed: AudibleBed;
  durationMs: number;
  /** 0..1, as the request's musicVolume. */
  volume: number;
  outPath: string;
}

/** Writes the bed alone (AAC in MP4), exactly durationMs long: what the mix puts under the narration. */
export async function renderMusicBed(spec: BedSpec, opts: MediaRunOptions = {}): Promise<{ durationMs: number }> {
  assertVolume(spec.volume);
  if (!Number.isFinite(spec.durationMs) || spec.durationMs < 1) throw new Error(`Bed duration must be at least 1 ms, got ${spec.durationMs}`);
  if (opts.signal?.aborted) throw abortError();
  const d = spec.durationMs / 1000;
  await mkdir(path.dirname(spec.outPath), { recursive: true });
  const cmd = createCommand()
    // fluent-ffmpeg wants an input; the graph's own source makes the sound and this one is never mapped.
    .input('anullsrc').inputFormat('lavfi')
    .complexFilter(`${bedChain(spec.bed, d, spec.volume, 'bed')};[bed]atrim=end=${num(d)},${toOutput}[out]`, ['out'])
    .outputOptions([...audioOutputOptions(), ...mp4OutputOptions()])
    .output(spec.outPath);
  await runCommand(cmd, opts.signal, opts, 'music-bed');
  return { durationMs: (await probeDetailed(spec.outPath, opts.signal)).durationMs };
}

export interface MixSpec extends MusicMix {
  /** The composed video: its video stream is copied, its audio (the narration) is mixed with the bed. */
  videoPath: string;
  outPath: string;
  /** 'ducked-bed' writes only the ducked bed, for measurement (see musicGraph). */
  stem?: 'mix' | 'ducked-bed';
}

/**
 * Puts the bed under a finished video's narration: the video stream is copied untouched, the audio is
 * re-encoded once with the bed mixed in, and keeps the narration's exact length. (compose does the same
 * inside its concat pass, which saves an AAC encode.)
 */
export async function mixMusicBed(spec: MixSpec, opts: MediaRunOptions = {}): Promise<{ durationMs: number }> {
  assertVolume(spec.volume);
  if (opts.signal?.aborted) throw abortError();
  const probed = await probeDetailed(spec.videoPath, opts.signal);
  const hasVideo = probed.streams.some((s) => s.type === 'video');
  if (!probed.streams.some((s) => s.type === 'audio')) throw new Error(`${spec.videoPath} has no audio to put a music bed under`);
  const graph = musicGraph({ ...spec, speechLabel: '0:a', outLabel: 'out', durationSec: probed.durationMs / 1000 });
  await mkdir(path.dirname(spec.outPath), { recursive: true });
  const cmd = createCommand()
    .input(spec.videoPath)
    .complexFilter(graph)
    .outputOptions([...(hasVideo ? ['-map', '0:v:0', '-c:v', 'copy'] : []), '-map', '[out]'])
    .outputOptions([...audioOutputOptions(), ...mp4OutputOptions()])
    .output(spec.outPath);
  await runCommand(cmd, opts.signal, opts, 'music-mix');
  return { durationMs: (await probeDetailed(spec.outPath, opts.signal)).durationMs };
}
