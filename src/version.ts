import { createRequire } from 'node:module';

/** The package version, as workers report it in heartbeats. */
export const APP_VERSION: string = createRequire(import.meta.url)('../package.json').version;
