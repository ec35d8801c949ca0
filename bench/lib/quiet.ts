// Imported first by benches that run the pipeline: lib/log reads LOG_LEVEL once, when it loads, and the
// expected step failures of bench:latency would otherwise fill stderr. LOG_LEVEL=info brings them back.
process.env.LOG_LEVEL ??= 'error';

export {};
