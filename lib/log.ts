// Structured one-line JSON logs. Callers pass only what is safe to log; nothing here adds request bodies.
// The level comes from config (LOG_LEVEL): createApp sets it at start. Until then, and in code that
// never builds an app, lines at info and above are written, so an early failure is never silent.
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];
type Level = LogLevel;
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
let threshold = order[DEFAULT_LOG_LEVEL];

/** Sets the lowest level written; createApp calls it with config.logLevel. */
export function setLogLevel(level: LogLevel): void {
  threshold = order[level];
}

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (order[level] < threshold) return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { err: err.message, stack: err.stack };
  return { err: String(err) };
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
