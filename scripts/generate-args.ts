// The command line of `npm run generate`: one table of options that both the parser and --help read,
// so the usage text cannot drift from what is accepted. Pure: no database, no files, no network.
import { parseArgs } from 'node:util';
import { aspectRatios, resolutions } from '@/lib/media/dimensions';
import { motionNames, providerNames } from '@/lib/providers/types';
import { DEFAULT_SCENES, MAX_SCENES } from '@/lib/schemas/video';

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  arg?: string;
  help: string;
  /** The default as --help shows it; not parseArgs' default, which would be sent as if typed. */
  shown?: string;
}

const OPTIONS = {
  scenes: { type: 'string', arg: 'N', help: `Number of scenes, 1 to ${MAX_SCENES}.`, shown: String(DEFAULT_SCENES) },
  aspect: { type: 'string', arg: 'RATIO', help: `Aspect ratio: ${aspectRatios.join(', ')}.`, shown: '16:9' },
  resolution: { type: 'string', arg: 'RES', help: `Resolution: ${resolutions.join(', ')}.`, shown: '720p' },
  description: { type: 'string', arg: 'TEXT', help: 'Extra direction for the script writer.' },
  provider: { type: 'string', arg: 'NAME', help: `Script, image and voice provider: ${providerNames.join(', ')}.`, shown: '$VIDEO_PROVIDER, else local' },
  motion: { type: 'string', arg: 'NAME', help: `How stills move: ${motionNames.join(', ')}.`, shown: '$VIDEO_MOTION, else kenburns' },
  voice: { type: 'string', arg: 'NAME', help: "Narrator voice; each provider has its own.", shown: "the provider's first voice" },
  captions: { type: 'boolean', help: 'Burn captions into the picture.' },
  out: { type: 'string', arg: 'FILE', help: 'Also write the finished MP4 to FILE (parent directories are created).' },
  force: { type: 'boolean', help: 'Let --out overwrite an existing file.' },
  server: { type: 'string', arg: 'URL', help: 'Have the Cueframe server at URL make the video, and download the MP4 (to --out, else here).' },
  token: { type: 'string', arg: 'TOKEN', help: 'The API token (cf_…) --server acts as.', shown: '$CUEFRAME_TOKEN' },
  help: { type: 'boolean', short: 'h', help: 'Print this help and exit.' },
} as const satisfies Record<string, OptionSpec>;

// What parseArgs itself is given: only the type and short flag, so nothing from the help text leaks in.
const PARSE_OPTIONS = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, o]: [string, OptionSpec]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
);

export type CliValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export type ParsedCli =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'run'; topic: string; values: CliValues };

export function usage(): string {
  const rows = Object.entries(OPTIONS).map(([name, o]: [string, OptionSpec]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.arg ? ` ${o.arg}` : ''}`;
    const dflt = o.shown ? ` (default: ${o.shown})` : '';
    return `  ${flag.padEnd(26)}${o.help}${dflt}`;
  });
  return [
    'Usage: npm run generate -- "topic" [options]',
    '',
    'Renders a narrated MP4 on this machine, with the same queue and pipeline as the server; with --server URL,',
    'asks that server to make it instead (as the owner of --token), shows its progress and downloads the MP4.',
    '',
    'Options:',
    ...rows,
    '',
    'Examples:',
    '  npm run generate -- "Paper airplanes"',
    '  npm run generate -- "Paper airplanes" --scenes 2 --aspect 9:16 --captions',
    '  npm run generate -- "Tides" --provider openai --voice nova --out videos/tides.mp4',
    '  npm run generate -- "Tides" --out videos/tides.mp4 --force',
    '  npm run generate -- "Tides" --server https://cueframe.example --token cf_… --out tides.mp4',
    '',
  ].join('\n');
}

function isHttpUrl(s: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

/** The generate request the options ask for, as sent to the API (or parsed locally): only what was given. */
export function requestFields(topic: string, values: CliValues): Record<string, unknown> {
  return {
    topic,
    ...(values.description ? { description: values.description } : {}),
    ...(values.scenes ? { sceneCount: Number(values.scenes) } : {}),
    ...(values.aspect ? { aspectRatio: values.aspect } : {}),
    ...(values.resolution ? { resolution: values.resolution } : {}),
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values.motion ? { motion: values.motion } : {}),
    ...(values.voice ? { voice: values.voice } : {}),
    ...(values.captions ? { burnCaptions: true } : {}),
  };
}

/** Parses argv (without node and the script); never throws. */
export function parseCli(argv: string[]): ParsedCli {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: PARSE_OPTIONS });
  } catch (err) {
    // node:util reports unknown options and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      return { kind: 'error', message: (err as Error).message };
    }
    throw err;
  }
  const values = parsed.values as CliValues;
  if (values.help) return { kind: 'help' };
  // An empty topic is left to the request schema, which words that refusal for the API too.
  const topic = parsed.positionals.join(' ');
  if (values.force && values.out === undefined) return { kind: 'error', message: '--force only applies with --out FILE.' };
  if (values.out !== undefined && !values.out.trim()) return { kind: 'error', message: '--out needs a file name.' };
  if (values.token !== undefined && values.server === undefined) return { kind: 'error', message: '--token only applies with --server URL.' };
  if (values.server !== undefined && !isHttpUrl(values.server)) {
    return { kind: 'error', message: `--server needs an http or https URL, e.g. https://cueframe.example (got '${values.server}').` };
  }
  return { kind: 'run', topic, values };
}
