// lib/log does not read the environment; an app sets its level at start (createApp). Tests build
// their apps without createApp, so each test file sets the level from config here.
import { loadConfig } from '@/lib/config';
import { setLogLevel } from '@/lib/log';

setLogLevel(loadConfig().logLevel);
