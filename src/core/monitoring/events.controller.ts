import { Controller, Get, MessageEvent, Query, Sse, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { from, interval, startWith, switchMap, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { AdminTokenGuard } from '../http/admin-token.guard.js';
import { redactSecrets } from '../logging/redact.js';
import { StatusService } from './status.service.js';

const PUSH_MS = 2000;

/** The dashboard's live feed (Server-Sent Events) and the throughput series its charts start from. */
@Controller('api')
@UseGuards(AdminTokenGuard)
export class EventsController {
  constructor(
    private readonly status: StatusService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Every 2 s: queues, workers, scheduler, and the runs that changed since the last push. */
  @Sse('events')
  events(): Observable<MessageEvent> {
    let since = new Date(Date.now() - PUSH_MS);
    return interval(PUSH_MS).pipe(
      startWith(0),
      switchMap(() =>
        from(
          (async () => {
            const now = new Date();
            const [report, runs] = await Promise.all([
              this.status.collect(false),
              this.db.query('SELECT id, task, queue, state, attempts, error, queued_at, started_at, finished_at FROM task_runs WHERE updated_at > $1 ORDER BY updated_at DESC LIMIT 50', [since]),
            ]);
            since = now;
            return { data: { at: now.toISOString(), queues: report.queues, workers: report.workers, scheduler: report.scheduler, runs: redactSecrets(runs) } };
          })(),
        ),
      ),
    );
  }

  /** Runs finished per minute, and how many failed, over the last `minutes`. A run finished in the window was written in it too: updated_at is the indexed column. */
  @Get('stats/throughput')
  async throughput(@Query('minutes') minutes = '60') {
    const span = Math.min(Math.max(Number(minutes) || 60, 1), 1440);
    return this.db.query(
      `SELECT date_trunc('minute', finished_at) AS minute, count(*)::int AS finished, count(*) FILTER (WHERE state = 'failed')::int AS failed
         FROM task_runs WHERE updated_at > now() - make_interval(mins => $1) AND finished_at > now() - make_interval(mins => $1) GROUP BY 1 ORDER BY 1`,
      [span],
    );
  }
}
