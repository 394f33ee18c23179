import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { isTimeZone } from '../../config/app-config.js';
import { NotFoundError, UsageError } from '../errors.js';
import { assertCron, nextFireAfter } from './cron-schedule.js';
import { DEFAULT_SCHEDULES } from './default-schedules.js';
import { PeriodicTask } from './periodic-task.entity.js';

export interface PeriodicTaskView extends PeriodicTask {
  nextRunAt: Date | null;
}

/** Reads and changes the periodic tasks; the scheduler role picks changes up within SCHEDULER_SYNC_MS. */
@Injectable()
export class PeriodicTasksService {
  constructor(
    @InjectRepository(PeriodicTask) private readonly repository: Repository<PeriodicTask>,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async list(): Promise<PeriodicTaskView[]> {
    const tasks = await this.repository.find({ order: { name: 'ASC' } });
    return tasks.map((task) => ({ ...task, nextRunAt: this.nextRun(task) }));
  }

  /** When it fires next, or null when disabled or expired. */
  nextRun(task: PeriodicTask, now = new Date()): Date | null {
    if (!task.enabled || (task.expiresAt && task.expiresAt <= now)) return null;
    const from = task.startTime && task.startTime > now ? new Date(task.startTime.getTime() - 1) : now;
    const next = nextFireAfter(task.cron, task.timezone, from);
    return task.expiresAt && next >= task.expiresAt ? null : next;
  }

  /** Creates a schedule a module needs (e.g. the workflow scheduler's) unless one of that name exists. */
  async ensure(schedule: { name: string; task: string; cron: string; description: string }): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .insert()
      .values({ ...schedule, args: [], kwargs: {}, timezone: this.config.scheduler.timezone, enabled: true, oneOff: false, totalRunCount: 0 })
      .orIgnore()
      .returning(['name'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Creates the default schedules that do not exist; never touches existing ones (an operator may have edited them). */
  async createDefaults(): Promise<{ created: string[]; kept: string[] }> {
    const result = await this.repository
      .createQueryBuilder()
      .insert()
      .values(DEFAULT_SCHEDULES.map((schedule) => ({ ...schedule, args: [], kwargs: {}, timezone: this.config.scheduler.timezone, enabled: true, oneOff: false, totalRunCount: 0 })))
      .orIgnore()
      .returning(['name'])
      .execute();
    const created = (result.raw as { name: string }[]).map((row) => row.name);
    return { created, kept: DEFAULT_SCHEDULES.map((s) => s.name).filter((name) => !created.includes(name)) };
  }

  /** Deletes the default schedules (edited or not) and creates them afresh; operators' own schedules stay. */
  async resetDefaults(): Promise<string[]> {
    await this.repository.delete({ name: In(DEFAULT_SCHEDULES.map((s) => s.name)) });
    return (await this.createDefaults()).created;
  }

  async setAllEnabled(enabled: boolean): Promise<number> {
    const result = await this.repository.createQueryBuilder().update().set({ enabled }).where('enabled <> :enabled', { enabled }).execute();
    return result.affected ?? 0;
  }

  /** Records a fire: last run, run count, and a one-off disabling itself. */
  async markFired(id: number, at: Date, oneOff: boolean): Promise<void> {
    await this.repository.query(
      `UPDATE periodic_tasks SET last_run_at = $2, total_run_count = total_run_count + 1, enabled = enabled AND NOT $3, updated_at = CASE WHEN $3 THEN now() ELSE updated_at END WHERE id = $1`,
      [id, at, oneOff],
    );
  }

  async disable(id: number): Promise<void> {
    await this.repository.update({ id }, { enabled: false });
  }

  async get(id: number): Promise<PeriodicTaskView> {
    const task = await this.repository.findOneBy({ id });
    if (!task) throw new NotFoundError(`Schedule ${id} does not exist; "GET /api/schedules" lists them.`);
    return { ...task, nextRunAt: this.nextRun(task) };
  }

  /**
   * Creates or changes a schedule after checking what it names: the cron, the timezone, and the
   * task with its arguments (by `validate`, as run-task would).
   */
  async save(input: ScheduleInput, validate: (task: string, args: unknown[], kwargs: Record<string, unknown>) => void, id?: number): Promise<PeriodicTaskView> {
    const current = id === undefined ? undefined : await this.get(id);
    const merged = {
      name: input.name ?? current?.name,
      task: input.task ?? current?.task,
      cron: input.cron ?? current?.cron,
      args: input.args ?? current?.args ?? [],
      kwargs: input.kwargs ?? current?.kwargs ?? {},
      timezone: input.timezone ?? current?.timezone ?? this.config.scheduler.timezone,
      enabled: input.enabled ?? current?.enabled ?? true,
      oneOff: input.one_off ?? current?.oneOff ?? false,
      description: input.description ?? current?.description ?? '',
    };
    if (!merged.name || !merged.task || !merged.cron) throw new UsageError('A schedule needs a name, a task and a cron.');
    assertCron(merged.cron);
    if (!isTimeZone(merged.timezone)) throw new UsageError(`"${merged.timezone}" is not an IANA timezone such as Europe/Berlin or UTC.`);
    validate(merged.task, merged.args, merged.kwargs);
    const clash = await this.repository.findOneBy({ name: merged.name });
    if (clash && clash.id !== id) throw new UsageError(`A schedule named "${merged.name}" already exists.`);
    const saved = await this.repository.save({ ...(id !== undefined ? { id } : { totalRunCount: 0 }), ...merged } as PeriodicTask);
    return this.get(saved.id);
  }

  async setEnabled(id: number, enabled: boolean): Promise<PeriodicTaskView> {
    await this.get(id);
    await this.repository.update({ id }, { enabled });
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.repository.delete({ id });
  }
}

export interface ScheduleInput {
  name?: string;
  task?: string;
  cron?: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  timezone?: string;
  enabled?: boolean;
  one_off?: boolean;
  description?: string;
}
