import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { UsageError } from '../errors.js';
import { HealthCheckRecord } from '../health/health-check.entity.js';
import { AdminTokenGuard } from '../http/admin-token.guard.js';
import { redactSecrets } from '../logging/redact.js';
import { isQueueName, type QueueName } from '../queues/queue-names.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { PeriodicTasksService } from '../scheduling/periodic-tasks.service.js';
import { TaskRunner } from '../tasks/task-runner.js';
import { TaskRunsService } from '../tasks/task-runs.service.js';
import { WorkerDirectory } from '../workers/worker-directory.js';
import { CleanQueueDto, HealthHistoryQuery, RunQuery, ScheduleDto, UpdateScheduleDto } from './admin.dto.js';
import { StatusService } from './status.service.js';

const shown = <T extends { args: unknown; kwargs: unknown }>(run: T): T => ({ ...run, args: redactSecrets(run.args), kwargs: redactSecrets(run.kwargs) });

/** Everything Flower did, as REST: run history and its actions, queues, workers, schedules, health. */
@Controller('api')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(
    private readonly runs: TaskRunsService,
    private readonly runner: TaskRunner,
    private readonly queues: QueueRegistry,
    private readonly status: StatusService,
    private readonly workers: WorkerDirectory,
    private readonly schedules: PeriodicTasksService,
    @InjectRepository(HealthCheckRecord) private readonly health: Repository<HealthCheckRecord>,
  ) {}

  /** Newest first, paged by cursor: pass `next_cursor` back as `before`. */
  @Get('task-runs')
  async listRuns(@Query() query: RunQuery) {
    const page = await this.runs.list(query);
    return { ...page, items: page.items.map(shown) };
  }

  @Post('task-runs/:id/retry')
  @HttpCode(202)
  retry(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.runs.retry(id);
  }

  @Post('task-runs/:id/cancel')
  @HttpCode(200)
  cancel(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.runs.cancel(id);
  }

  @Get('queues')
  async listQueues() {
    return (await this.status.collect(false)).queues;
  }

  @Post('queues/:name/pause')
  @HttpCode(200)
  async pause(@Param('name') name: string) {
    await this.queue(name).pause();
    return { queue: name, paused: true };
  }

  @Post('queues/:name/resume')
  @HttpCode(200)
  async resume(@Param('name') name: string) {
    await this.queue(name).resume();
    return { queue: name, paused: false };
  }

  @Post('queues/:name/retry-failed')
  @HttpCode(200)
  async retryFailed(@Param('name') name: string) {
    const failed = await this.queue(name).getFailed();
    await Promise.all(failed.map((job) => job.retry()));
    return { queue: name, retried: failed.length };
  }

  @Post('queues/:name/clean')
  @HttpCode(200)
  async clean(@Param('name') name: string, @Body() body: CleanQueueDto) {
    const removed = await this.queue(name).clean(body.older_than_s * 1000, body.state);
    return { queue: name, state: body.state, removed: removed.length };
  }

  @Get('workers')
  listWorkers() {
    return this.workers.list();
  }

  @Get('schedules')
  listSchedules() {
    return this.schedules.list();
  }

  @Get('schedules/:id')
  schedule(@Param('id', ParseIntPipe) id: number) {
    return this.schedules.get(id);
  }

  @Post('schedules')
  createSchedule(@Body() body: ScheduleDto) {
    return this.schedules.save(body, this.validateTask);
  }

  @Patch('schedules/:id')
  updateSchedule(@Param('id', ParseIntPipe) id: number, @Body() body: UpdateScheduleDto) {
    return this.schedules.save(body, this.validateTask, id);
  }

  @Delete('schedules/:id')
  @HttpCode(204)
  async removeSchedule(@Param('id', ParseIntPipe) id: number) {
    await this.schedules.remove(id);
  }

  @Post('schedules/:id/enable')
  @HttpCode(200)
  enable(@Param('id', ParseIntPipe) id: number) {
    return this.schedules.setEnabled(id, true);
  }

  @Post('schedules/:id/disable')
  @HttpCode(200)
  disable(@Param('id', ParseIntPipe) id: number) {
    return this.schedules.setEnabled(id, false);
  }

  /** Enqueues the schedule's task with its arguments now, without touching its timetable. */
  @Post('schedules/:id/run')
  @HttpCode(202)
  async runSchedule(@Param('id', ParseIntPipe) id: number) {
    const schedule = await this.schedules.get(id);
    return this.runner.enqueue({ task: schedule.task, args: schedule.args, kwargs: schedule.kwargs }, schedule.queue && isQueueName(schedule.queue) ? { queue: schedule.queue } : {});
  }

  @Get('health/checks')
  healthHistory(@Query() query: HealthHistoryQuery) {
    return this.health.find({ order: { checkedAt: 'DESC' }, take: query.limit });
  }

  private readonly validateTask = (task: string, args: unknown[], kwargs: Record<string, unknown>) => {
    this.runner.validate({ task, args, kwargs });
  };

  private queue(name: string) {
    if (!isQueueName(name)) throw new UsageError(`Unknown queue "${name}"; the queues are ${this.queues.all().map(([n]) => n).join(', ')}.`);
    return this.queues.get(name as QueueName);
  }
}
