import { hostname } from 'node:os';

/** How a process names itself in task history and heartbeats: host:pid. */
export const WORKER_ID = `${hostname()}:${process.pid}`;
