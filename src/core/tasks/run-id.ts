import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The run id of a Bull job. Dropflow enqueues with a UUID job id, which is the run id; a job
 * another producer added has Bull's counter id, so it gets a UUID derived from queue and job id:
 * the same on every attempt, so retries still update one history row.
 */
export function runIdForJob(queue: string, jobId: string | number): string {
  const id = String(jobId);
  return UUID.test(id) ? id : uuidFrom(`${queue}:${id}`);
}

/** A name-based (version 5 style) UUID: the same text always gives the same id. */
export function uuidFrom(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
