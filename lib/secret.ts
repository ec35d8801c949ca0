// The key behind signed URLs and session cookies. Production must set SIGNING_SECRET; a local run
// generates one once and keeps it under DATA_DIR, so links and sessions survive restarts.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '@/lib/config';
import { AppError } from '@/lib/errors';

export function resolveSecret(config: Config): string {
  if (config.signingSecret) return config.signingSecret;
  if (config.onVercel) throw new AppError('misconfigured', 'SIGNING_SECRET must be set in production.');
  const file = path.join(/* turbopackIgnore: true */ config.dataDir, 'secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
