import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, isTimeZone } from '../config/app-config.js';
import { UsageError } from '../core/errors.js';
import { nextFireAfter } from '../core/scheduling/cron-schedule.js';
import { StepRun, Workflow, WorkflowExecution, type ExecutionState } from './workflow.entities.js';
import { WorkflowEngine } from './workflow-engine.js';
import { WorkflowValidator } from './workflow-validator.js';
import { SHIPPED_WORKFLOWS } from './shipped-workflows.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Workflow definitions and executions: what the REST API, the CLI and the tasks use. */
@Injectable()
export class WorkflowsService {
  constructor(
    @InjectRepository(Workflow) private readonly workflows: Repository<Workflow>,
    @InjectRepository(WorkflowExecution) private readonly executions: Repository<WorkflowExecution>,
    @InjectRepository(StepRun) private readonly stepRuns: Repository<StepRun>,
    private readonly validator: WorkflowValidator,
    private readonly engine: WorkflowEngine,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  list(): Promise<Workflow[]> {
    return this.workflows.find({ order: { name: 'ASC' } });
  }

  async get(idOrName: number | string): Promise<Workflow> {
    const workflow = typeof idOrName === 'number' ? await this.workflows.findOneBy({ id: idOrName }) : await this.workflows.findOneBy({ name: idOrName });
    if (!workflow) throw new UsageError(`No workflow ${typeof idOrName === 'number' ? `with id ${idOrName}` : `named "${idOrName}"`}. "dropflow workflow list" shows them.`);
    return workflow;
  }

  /**
   * Creates or replaces a workflow by name after validating it; a change bumps its version.
   * `allowUnregisteredTasks` stores a definition whose tasks arrive with later modules (the shipped ones).
   */
  async save(raw: unknown, options: { allowUnregisteredTasks?: boolean; id?: number } = {}): Promise<Workflow> {
    const definition = this.validator.parse(raw, options);
    const timezone = definition.timezone ?? this.config.scheduler.timezone;
    if (!isTimeZone(timezone)) throw new UsageError(`"${timezone}" is not an IANA timezone (e.g. Europe/Berlin, UTC)`);
    const existing = options.id !== undefined ? await this.get(options.id) : await this.workflows.findOneBy({ name: definition.name });
    const fields = {
      name: definition.name,
      description: definition.description ?? '',
      enabled: definition.enabled ?? true,
      cron: definition.cron ?? null,
      timezone,
      inputDefaults: definition.input_defaults ?? {},
      steps: definition.steps.map((step) => JSON.parse(JSON.stringify(step))),
    };
    if (existing) return this.workflows.save({ ...existing, ...fields, version: existing.version + 1 });
    return this.workflows.save(this.workflows.create({ ...fields, version: 1 }));
  }

  /** Stores the shipped workflows that do not exist yet; an existing one (maybe edited) is left alone. */
  async loadShipped(): Promise<{ created: string[]; kept: string[] }> {
    const created: string[] = [];
    const kept: string[] = [];
    for (const definition of SHIPPED_WORKFLOWS) {
      if (await this.workflows.existsBy({ name: definition.name })) kept.push(definition.name);
      else created.push((await this.save(definition, { allowUnregisteredTasks: true })).name);
    }
    return { created, kept };
  }

  async remove(id: number): Promise<void> {
    await this.workflows.delete({ id: (await this.get(id)).id });
  }

  async start(idOrName: number | string, input: Record<string, unknown> = {}, trigger: 'manual' | 'api' = 'manual'): Promise<WorkflowExecution> {
    const workflow = await this.get(idOrName);
    if (!workflow.enabled) throw new UsageError(`Workflow "${workflow.name}" is disabled; enable it first.`);
    return (await this.engine.start(workflow, input, trigger))!;
  }

  listExecutions(filter: { workflowId?: number; state?: ExecutionState; limit?: number; offset?: number }): Promise<WorkflowExecution[]> {
    return this.executions.find({
      where: { ...(filter.workflowId ? { workflowId: filter.workflowId } : {}), ...(filter.state ? { state: filter.state } : {}) },
      order: { createdAt: 'DESC' },
      take: Math.min(filter.limit ?? 50, 500),
      skip: filter.offset ?? 0,
    });
  }

  async execution(id: string): Promise<WorkflowExecution & { stepRuns: StepRun[] }> {
    const execution = await this.executions.findOneBy({ id });
    if (!execution) throw new UsageError(`No workflow execution ${id}`);
    const runs = await this.stepRuns.findBy({ executionId: id });
    const order = new Map(execution.steps.map((step, index) => [step.id, index]));
    return { ...execution, stepRuns: runs.sort((a, b) => order.get(a.stepId)! - order.get(b.stepId)!) };
  }

  /**
   * Starts each enabled workflow whose cron came due since it last did, once for its latest due
   * time. The (workflow, due time) pair is unique, so overlapping runs and several schedulers
   * start it once; due times missed while nothing ran are not replayed.
   */
  async startDue(now = new Date()): Promise<{ started: string[]; skipped: string[] }> {
    const due = (await this.workflows.find({ where: { enabled: true } })).filter((w) => w.cron);
    const started: string[] = [];
    const skipped: string[] = [];
    for (const workflow of due) {
      let from = new Date(Math.max(workflow.lastScheduledFor?.getTime() ?? workflow.createdAt.getTime(), now.getTime() - DAY_MS));
      let latest: Date | null = null;
      for (let next = nextFireAfter(workflow.cron!, workflow.timezone, from); next <= now; next = nextFireAfter(workflow.cron!, workflow.timezone, from)) {
        latest = next;
        from = next;
      }
      if (!latest) continue;
      const execution = await this.engine.start(workflow, {}, 'schedule', latest).catch((error: Error) => {
        skipped.push(`${workflow.name}: ${error.message}`);
        return null;
      });
      if (execution) started.push(execution.id);
      await this.workflows.query('UPDATE workflows SET last_scheduled_for = GREATEST(last_scheduled_for, $2) WHERE id = $1', [workflow.id, latest]);
    }
    return { started, skipped };
  }

  /** Deletes finished executions (and their step runs) older than `days`; running ones are never touched. */
  async cleanup(days: number): Promise<number> {
    const result = await this.executions.query(
      `DELETE FROM workflow_executions WHERE state IN ('succeeded', 'failed', 'cancelled') AND finished_at < now() - make_interval(days => $1)`,
      [days],
    );
    return result[1] as number;
  }
}
