import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundError, UsageError } from '../errors.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { isQueueName } from '../queues/queue-names.js';
import { TaskHistoryWriter } from './task-history.writer.js';
import { TaskRun, type TaskRunState } from './task-run.entity.js';
import { TaskRunner, type TaskJobData } from './task-runner.js';

export interface RunFilter {
  task?: string;
  queue?: string;
  state?: TaskRunState;
  /** queued_at bounds. */
  from?: Date;
  to?: Date;
  /** Text in the arguments or the error. */
  q?: string;
  /** The cursor a previous page returned: the (queued_at, id) of its last row. */
  before?: string;
  limit: number;
}

/**
 * Task run history: read, filtered and paged by keyset (newest first, a cursor instead of an
 * offset, so page 10,000 of a million rows is as fast as page 1), and the actions on a run.
 */
@Injectable()
export class TaskRunsService {
  constructor(
    @InjectRepository(TaskRun) private readonly runs: Repository<TaskRun>,
    private readonly queues: QueueRegistry,
    private readonly history: TaskHistoryWriter,
    private readonly runner: TaskRunner,
  ) {}

  find(id: string): Promise<TaskRun | null> {
    return this.runs.findOneBy({ id });
  }

  async get(id: string): Promise<TaskRun> {
    const run = await this.find(id);
    if (!run) throw new NotFoundError(`No task run ${id}; "GET /api/task-runs" lists them.`);
    return run;
  }

  async list(filter: RunFilter): Promise<{ items: TaskRun[]; next_cursor: string | null }> {
    const qb = this.runs.createQueryBuilder('r').orderBy('r.queued_at', 'DESC').addOrderBy('r.id', 'DESC').take(filter.limit + 1);
    if (filter.task) qb.andWhere('r.task = :task', { task: filter.task });
    if (filter.queue) qb.andWhere('r.queue = :queue', { queue: filter.queue });
    if (filter.state) qb.andWhere('r.state = :state', { state: filter.state });
    if (filter.from) qb.andWhere('r.queued_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('r.queued_at < :to', { to: filter.to });
    if (filter.q) qb.andWhere(`${SEARCH_TEXT} ILIKE :q`, { q: `%${filter.q}%` });
    if (filter.before) {
      const [at, id] = decodeCursor(filter.before);
      qb.andWhere('(r.queued_at, r.id) < (:at, :id)', { at, id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return { items, next_cursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
  }

  /** A failed queued run goes back on its queue: the same job when Bull still has it, else a new run with the same arguments. */
  async retry(id: string): Promise<{ runId: string; retried: 'same_job' | 'new_run' }> {
    const run = await this.get(id);
    if (run.state !== 'failed' && run.state !== 'cancelled') throw new UsageError(`Run ${id} is ${run.state}; only failed or cancelled runs can be retried.`);
    const job = isQueueName(run.queue) ? await this.queues.get(run.queue).getJob(id) : null;
    if (job && (await job.isFailed())) {
      await job.retry();
      this.history.record({ id, task: run.task, queue: run.queue, mode: 'queued', args: run.args, kwargs: run.kwargs, state: 'queued', attempt: run.attempts, at: new Date(), queuedAt: run.queuedAt });
      return { runId: id, retried: 'same_job' };
    }
    const queued = await this.runner.enqueue({ task: run.task, args: run.args, kwargs: run.kwargs });
    return { runId: queued.runId, retried: 'new_run' };
  }

  /**
   * A waiting or delayed run is taken off its queue and recorded as cancelled; a running one
   * cannot be. The job is looked up on the queues first: a run enqueued a moment ago may not be
   * in the (batched) history yet.
   */
  async cancel(id: string): Promise<{ runId: string; cancelled: true }> {
    for (const [queue, bull] of this.queues.all()) {
      const job = await bull.getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (!['waiting', 'delayed', 'paused'].includes(state)) throw new UsageError(`Run ${id} is ${state}; only waiting or delayed runs can be cancelled.`);
      await job.remove();
      const data = job.data as TaskJobData;
      this.history.record({ id, task: job.name, queue, mode: 'queued', args: data.args, kwargs: data.kwargs, state: 'cancelled', attempt: job.attemptsMade, at: new Date(), queuedAt: new Date(job.timestamp) });
      await this.history.flush();
      return { runId: id, cancelled: true };
    }
    const run = await this.get(id);
    throw new UsageError(`Run ${id} is ${run.state} and no longer on its queue; only waiting or delayed runs can be cancelled.`);
  }
}

/** What the text filter searches: the expression of the task_runs_search_trgm index (migration 1764600000000), letter for letter, so the index serves it. */
const SEARCH_TEXT = "(r.args::text || ' ' || r.kwargs::text || ' ' || coalesce(r.error, ''))";

function encodeCursor(run: TaskRun): string {
  return Buffer.from(`${run.queuedAt.toISOString()}|${run.id}`).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at);
  if (!id || Number.isNaN(date.getTime())) throw new UsageError('before is not a cursor this API returned; use next_cursor from the previous page.');
  return [date, id];
}
