/** The six queues. Their names are fixed: operators of the Celery installation know them. */
export const QUEUE_NAMES = ['suppliers', 'marketplaces', 'workflows', 'ai_processing', 'analytics', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}

/** Default worker concurrency per queue, as in DESIGN.md; each is overridable by QUEUE_<NAME>_CONCURRENCY. */
export const DEFAULT_QUEUE_CONCURRENCY: Record<QueueName, number> = {
  suppliers: 2,
  marketplaces: 3,
  workflows: 2,
  ai_processing: 1,
  analytics: 1,
  maintenance: 1,
};
