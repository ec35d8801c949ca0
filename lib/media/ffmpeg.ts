import ffmpeg from 'fluent-ffmpeg';
import { attr, withSpan } from '@/lib/trace';
import { resolveFfmpegPath } from './binaries';
import type { RunOptions } from './types';

// fluent-ffmpeg is archived upstream; keeping it behind this file means swapping it out touches lib/media only.
export type FfmpegCommand = ffmpeg.FfmpegCommand;

export interface FfmpegProgress {
  frames: number;
  timemark: string;
}

/** RunOptions plus hooks that let callers (and tests) react to the real process instead of guessing with sleeps. */
export interface MediaRunOptions extends RunOptions {
  onStart?: (commandLine: string) => void;
  onProgress?: (progress: FfmpegProgress) => void;
}

export function createCommand(): FfmpegCommand {
  // Paths are set per command rather than globally so nothing else in the process can change them under us.
  return ffmpeg().setFfmpegPath(resolveFfmpegPath());
}

export function abortError(): Error {
  const err = new Error('The ffmpeg operation was aborted');
  err.name = 'AbortError';
  return err;
}

function stderrTail(stderr: string | null, lines = 12): string {
  if (!stderr) return '';
  const tail = stderr.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-lines);
  return tail.length ? `\n--- ffmpeg stderr (last ${tail.length} lines) ---\n${tail.join('\n')}` : '';
}

/**
 * Runs a fully configured command (inputs, filters and output already set), in span `ffmpeg.<op>`: this is
 * where every ffmpeg process is started. On abort the process gets SIGKILL and the promise rejects only
 * once ffmpeg has actually exited, so callers can safely delete temp files in their finally blocks.
 */
export function runCommand(cmd: FfmpegCommand, signal?: AbortSignal, hooks: Omit<MediaRunOptions, 'signal'> = {}, op = 'command'): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError());
  return withSpan(`ffmpeg.${op}`, { [attr.ffmpegOp]: op }, () => run(cmd, signal, hooks));
}

function run(cmd: FfmpegCommand, signal: AbortSignal | undefined, hooks: Omit<MediaRunOptions, 'signal'>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let started = false;
    let aborted = false;

    const onAbort = () => {
      aborted = true;
      // Before 'start' there is no process yet (fluent-ffmpeg is still probing capabilities); 'start' kills it.
      if (started) cmd.kill('SIGKILL');
    };
    const settle = (err?: Error) => {
      signal?.removeEventListener('abort', onAbort);
      if (aborted) reject(abortError());
      else if (err) reject(err);
      else resolve();
    };

    cmd
      .on('start', (commandLine: string) => {
        started = true;
        if (aborted) {
          cmd.kill('SIGKILL');
          return;
        }
        hooks.onStart?.(commandLine);
      })
      .on('progress', (p: { frames: number; timemark: string }) => {
        if (!aborted) hooks.onProgress?.({ frames: p.frames, timemark: p.timemark });
      })
      .on('end', () => settle())
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
        settle(new Error(`${err.message}${stderrTail(stderr)}`));
      });

    signal?.addEventListener('abort', onAbort, { once: true });
    cmd.run();
  });
}
