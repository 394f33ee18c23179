import { CoreTables1764000000000 } from './1764000000000-core-tables.js';

/** Every migration, in order. Listed here rather than globbed so the build carries exactly these. */
export const MIGRATIONS = [CoreTables1764000000000];
