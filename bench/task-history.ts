/**
 * The dashboard's task list over a large history: 1,000,000 task_runs rows generated in SQL,
 * then the API's query (TaskRunsService.list, what GET /api/task-runs runs) with filters.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type pg from 'pg';
import { TaskRunsService, type RunFilter } from '../src/core/tasks/task-runs.service.js';

type Report = (name: string, value: number, unit: string) => void;

const ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);
const TASKS = ['sync_supplier_products', 'sync_marketplace_orders', 'system_health_check', 'analyze_customer_feedback', 'generate_daily_reports', 'process_ai_task'];
const QUEUES = ['suppliers', 'marketplaces', 'maintenance', 'ai_processing', 'analytics', 'ai_processing'];

export async function taskHistoryFigures(client: INestApplicationContext, db: pg.Client, report: Report): Promise<void> {
  let started = performance.now();
  await db.query(
    `INSERT INTO task_runs (id, task, queue, mode, args, kwargs, state, state_seq, attempts, queued_at, started_at, finished_at, updated_at, error)
     SELECT gen_random_uuid(), (ARRAY[${TASKS.map((t) => `'${t}'`).join(',')}])[1 + i % 6], (ARRAY[${QUEUES.map((q) => `'${q}'`).join(',')}])[1 + i % 6], 'queued',
            jsonb_build_array(i % 100), jsonb_build_object('supplier_id', i % 100), CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END, 100, 1,
            now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval + interval '1 second', now(),
            CASE WHEN i % 20 = 0 THEN 'Supplier ' || (i % 100) || ' is unavailable: HTTP 503' END
       FROM generate_series(1, $1) i`,
    [ROWS],
  );
  await db.query('ANALYZE task_runs');
  report(`task history: ${ROWS.toLocaleString('en-US')} runs generated in`, (performance.now() - started) / 1000, 's');

  const runs = client.get(TaskRunsService);
  const time = async (name: string, filter: RunFilter) => {
    const timings: number[] = [];
    let page = await runs.list(filter);
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      page = await runs.list(filter);
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    report(`GET /api/task-runs ${name} (median of 5; goal < 200 ms)`, timings[2], 'ms');
    return page;
  };
  await time('first page, no filter', { limit: 50 });
  const first = await time('task=sync_supplier_products', { task: 'sync_supplier_products', limit: 50 });
  await time('state=failed, queue=suppliers', { state: 'failed', queue: 'suppliers', limit: 50 });
  await time('task filter, a page deep in history', { task: 'sync_supplier_products', limit: 50, before: first.next_cursor ?? undefined, from: new Date(Date.now() - 400 * 86_400_000) });
  await time('text search q="HTTP 503" (in one run of twenty)', { q: 'HTTP 503', limit: 50 });
  await time('text search q="Supplier 40 is" (in one run of a hundred)', { q: 'Supplier 40 is', limit: 50 });
  await time('text search for text no run has', { q: 'no run says this', limit: 50 });
  await time('text search for text no run has, within one task and a day', { q: 'no run says this', task: 'sync_supplier_products', from: new Date(Date.now() - 86_400_000), limit: 50 });
}
