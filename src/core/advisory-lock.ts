import type { DataSource } from 'typeorm';

/**
 * Runs `body` while holding the Postgres advisory lock (`namespace`, `id`) on a connection of
 * its own, so one sync of a supplier or marketplace runs at a time across every process. When
 * another session holds the lock it resolves `{ locked: false }` at once, without waiting.
 * A process that dies releases the lock with its connection.
 */
export async function tryWithAdvisoryLock<T>(db: DataSource, namespace: string, id: number, body: () => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
  const session = db.createQueryRunner();
  await session.connect();
  try {
    const [{ locked }] = (await session.query('SELECT pg_try_advisory_lock(hashtext($1), $2) AS locked', [namespace, id])) as { locked: boolean }[];
    if (!locked) return { locked: false };
    try {
      return { locked: true, value: await body() };
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtext($1), $2)', [namespace, id]);
    }
  } finally {
    await session.release();
  }
}

/** `tryWithAdvisoryLock`, answering `skipped` when another session holds the lock. */
export async function exclusivelyOr<T, S>(db: DataSource, namespace: string, id: number, body: () => Promise<T>, skipped: S): Promise<T | S> {
  const outcome = await tryWithAdvisoryLock(db, namespace, id, body);
  return outcome.locked ? outcome.value : skipped;
}
