// Imported first by benches that run the pipeline: the expected step failures of bench:latency would
// otherwise fill stderr. LOG_LEVEL=info brings them back. Set in the environment too, for the benches
// that build their app with createApp, which sets the level from config.
import { loadConfig } from '@/lib/config';
import { setLogLevel } from '@/lib/log';

process.env.LOG_LEVEL ??= 'error';
setLogLevel(loadConfig().logLevel);
