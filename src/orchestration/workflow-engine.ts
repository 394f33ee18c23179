import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { UsageError } from '../core/errors.js';
import { LogService } from '../core/logging/log.service.js';
import { QueueRegistry } from '../core/queues/queue-registry.js';
import { uuidFrom } from '../core/tasks/run-id.js';
import { TaskHooks, type FinishedAttempt, type TaskHook } from '../core/tasks/task-hooks.js';
import { TaskRegistry } from '../core/tasks/task-registry.js';
import { TaskRunner } from '../core/tasks/task-runner.js';
import { resolveReferences } from './references.js';
import type { StepDefinition } from './workflow-definition.js';
import { StepRun, Workflow, WorkflowExecution, type ExecutionTrigger } from './workflow.entities.js';
import { WorkflowValidationError, WorkflowValidator } from './workflow-validator.js';

/** What a step's job carries so the hook can find its step run. */
interface StepMeta {
  executionId: string;
  stepId: string;
  generation: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Runs workflows as durable DAGs. All progress is state in Postgres and jobs in Redis: each step
 * is its task's own job on its task's queue, and after the job's final attempt (in the same job,
 * through TaskHooks) the step's outcome is stored and the steps it unblocked are enqueued. An
 * execution row lock serialises parallel branches finishing at once; step job ids are derived
 * from execution, step and generation, so enqueueing a step twice adds one job.
 */
@Injectable()
export class WorkflowEngine implements OnModuleInit, TaskHook {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runner: TaskRunner,
    private readonly hooks: TaskHooks,
    private readonly validator: WorkflowValidator,
    private readonly registry: TaskRegistry,
    private readonly queues: QueueRegistry,
    private readonly logs: LogService,
  ) {}

  /** logs/workflows.log, opened when something is first logged (not in every process that loads the module). */
  private get log(): Logger {
    return this.logs.forFile('workflows');
  }

  onModuleInit() {
    this.hooks.register(this);
  }

  /**
   * Starts an execution of the workflow as it is now. With `scheduledFor`, a second start for the
   * same due time returns null instead of starting twice.
   */
  async start(workflow: Workflow, input: Record<string, unknown>, trigger: ExecutionTrigger, scheduledFor?: Date): Promise<WorkflowExecution | null> {
    const problems = this.validator.problems(workflow.steps);
    if (problems.length > 0) throw new WorkflowValidationError(workflow.name, problems);
    const id = randomUUID();
    const created = await this.db.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO workflow_executions (id, workflow_id, workflow_version, steps, trigger, input, state, scheduled_for, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, now()) ON CONFLICT (workflow_id, scheduled_for) DO NOTHING RETURNING id`,
        [id, workflow.id, workflow.version, JSON.stringify(workflow.steps), trigger, JSON.stringify({ ...workflow.inputDefaults, ...input }), scheduledFor ?? null],
      );
      if (rows.length === 0) return false;
      await m.query(
        `INSERT INTO workflow_step_runs (execution_id, step_id, task, state) SELECT $1, step_id, task, 'pending' FROM unnest($2::text[], $3::text[]) AS s(step_id, task)`,
        [id, workflow.steps.map((s) => s.id), workflow.steps.map((s) => s.task)],
      );
      return true;
    });
    if (!created) return null;
    this.log.info({ execution: id, workflow: workflow.name, trigger }, 'workflow execution started');
    await this.advance(id);
    return this.db.getRepository(WorkflowExecution).findOneByOrFail({ id });
  }

  /** Enqueues every step whose dependencies are done, and settles the execution when nothing is left. */
  async advance(executionId: string): Promise<void> {
    const failedToEnqueue: { stepId: string; generation: number; error: string }[] = [];
    await this.db.transaction(async (m) => {
      const execution = await m.getRepository(WorkflowExecution).findOne({ where: { id: executionId }, lock: { mode: 'pessimistic_write' } });
      if (!execution || execution.state !== 'running') return;
      const runs = new Map((await m.getRepository(StepRun).findBy({ executionId })).map((run) => [run.stepId, run]));
      const steps = execution.steps;
      const continues = (step: StepDefinition) => (step.on_failure ?? 'stop') === 'continue';

      const stopping = steps.find((step) => runs.get(step.id)?.state === 'failed' && !continues(step));
      if (stopping) {
        await this.settle(m, execution, 'failed', `step "${stopping.id}" (${stopping.task}) failed: ${runs.get(stopping.id)?.error ?? 'unknown error'}`);
        return;
      }
      const done = (id: string) => runs.get(id)?.state === 'succeeded' || (runs.get(id)?.state === 'failed' && continues(steps.find((s) => s.id === id)!));
      const ready = steps.filter((step) => runs.get(step.id)?.state === 'pending' && (step.depends_on ?? []).every(done));
      const context = {
        input: execution.input,
        steps: Object.fromEntries([...runs.values()].map((run) => [run.stepId, { result: run.result }])),
      };
      for (const step of ready) {
        const run = runs.get(step.id)!;
        const runId = uuidFrom(`workflow:${executionId}:${step.id}:${run.generation}`);
        // Marked queued before the job exists: a fast step may finish before this transaction
        // commits, and its result must then wait on this row's lock rather than be overwritten.
        await m.query(`UPDATE workflow_step_runs SET state = 'queued', task_run_id = $3, queued_at = now() WHERE execution_id = $1 AND step_id = $2`, [executionId, step.id, runId]);
        run.state = 'queued';
        try {
          await this.runner.enqueue(
            { task: step.task, runId, args: resolveReferences(step.args ?? [], context), kwargs: resolveReferences(step.kwargs ?? {}, context) },
            {
              meta: { workflow: { executionId, stepId: step.id, generation: run.generation } satisfies StepMeta },
              ...(step.retry ? { attempts: step.retry.attempts, backoffMs: step.retry.backoff_ms } : {}),
              ...(step.timeout_ms ? { timeoutMs: step.timeout_ms } : {}),
            },
          );
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          // The referenced values did not make valid arguments: the step fails without running.
          failedToEnqueue.push({ stepId: step.id, generation: run.generation, error: error.message });
        }
      }
      if (failedToEnqueue.length === 0 && [...runs.values()].every((run) => TERMINAL.has(run.state))) {
        const continued = steps.filter((step) => runs.get(step.id)?.state === 'failed');
        await this.settle(m, execution, 'succeeded', continued.length ? `continued past failed step(s): ${continued.map((s) => s.id).join(', ')}` : null);
      }
    });
    for (const failure of failedToEnqueue) {
      await this.recordStep(executionId, failure.stepId, failure.generation, { state: 'failed', error: failure.error, attempts: 0 });
    }
    if (failedToEnqueue.length > 0) await this.advance(executionId);
  }

  /** TaskHook: stores a step's outcome after its job's attempt, and advances after the final one. */
  async afterAttempt(attempt: FinishedAttempt): Promise<void> {
    const meta = attempt.data.meta?.workflow as StepMeta | undefined;
    if (!meta) return;
    if (attempt.ok) await this.recordStep(meta.executionId, meta.stepId, meta.generation, { state: 'succeeded', result: attempt.result, attempts: attempt.attempt });
    else await this.recordStep(meta.executionId, meta.stepId, meta.generation, { state: attempt.final ? 'failed' : 'queued', error: attempt.error?.message ?? 'failed', attempts: attempt.attempt });
    if (attempt.final) await this.advance(meta.executionId);
  }

  async cancel(executionId: string): Promise<WorkflowExecution> {
    const queued = await this.db.transaction(async (m) => {
      const execution = await m.getRepository(WorkflowExecution).findOne({ where: { id: executionId }, lock: { mode: 'pessimistic_write' } });
      if (!execution) throw new UsageError(`No workflow execution ${executionId}`);
      if (execution.state !== 'running' && execution.state !== 'pending') throw new UsageError(`Execution ${executionId} is ${execution.state}; only a pending or running execution can be cancelled.`);
      await this.settle(m, execution, 'cancelled', 'cancelled by an operator');
      return (await m.query(`SELECT task_run_id FROM workflow_step_runs WHERE execution_id = $1 AND task_run_id IS NOT NULL`, [executionId])) as { task_run_id: string }[];
    });
    // Jobs not started yet are removed; a step already running finishes, but its outcome is not recorded and starts nothing.
    for (const { task_run_id: runId } of queued) {
      for (const [, queue] of this.queues.all()) {
        const job = await queue.getJob(runId);
        if (job && ((await job.isWaiting()) || (await job.isDelayed()))) await job.remove().catch(() => undefined);
      }
    }
    this.log.info({ execution: executionId }, 'workflow execution cancelled');
    return this.db.getRepository(WorkflowExecution).findOneByOrFail({ id: executionId });
  }

  /** Runs the failed and never-run steps of a failed or cancelled execution again; succeeded steps keep their results. */
  async retry(executionId: string): Promise<WorkflowExecution> {
    await this.db.transaction(async (m) => {
      const execution = await m.getRepository(WorkflowExecution).findOne({ where: { id: executionId }, lock: { mode: 'pessimistic_write' } });
      if (!execution) throw new UsageError(`No workflow execution ${executionId}`);
      if (execution.state !== 'failed' && execution.state !== 'cancelled') throw new UsageError(`Execution ${executionId} is ${execution.state}; only a failed or cancelled execution can be retried.`);
      const unknown = execution.steps.filter((step) => !this.registry.has(step.task));
      if (unknown.length) throw new UsageError(`Execution ${executionId} uses tasks no longer registered: ${unknown.map((s) => s.task).join(', ')}`);
      await m.query(
        `UPDATE workflow_step_runs SET state = 'pending', generation = generation + 1, attempts = 0, result = NULL, error = NULL, task_run_id = NULL, queued_at = NULL, finished_at = NULL
          WHERE execution_id = $1 AND state <> 'succeeded'`,
        [executionId],
      );
      await m.query(`UPDATE workflow_executions SET state = 'running', error = NULL, finished_at = NULL WHERE id = $1`, [executionId]);
    });
    this.log.info({ execution: executionId }, 'workflow execution retried');
    await this.advance(executionId);
    return this.db.getRepository(WorkflowExecution).findOneByOrFail({ id: executionId });
  }

  private async recordStep(executionId: string, stepId: string, generation: number, change: { state: string; result?: unknown; error?: string; attempts: number }) {
    // Only the current generation's run counts, and a finished step is never overwritten.
    await this.db.query(
      `UPDATE workflow_step_runs SET state = $4, result = $5, error = $6, attempts = GREATEST(attempts, $7),
              finished_at = CASE WHEN $4 IN ('succeeded', 'failed') THEN now() ELSE finished_at END
        WHERE execution_id = $1 AND step_id = $2 AND generation = $3 AND state IN ('pending', 'queued')`,
      [executionId, stepId, generation, change.state, change.result === undefined ? null : JSON.stringify(change.result), change.error ?? null, change.attempts],
    );
  }

  private async settle(m: EntityManager, execution: WorkflowExecution, state: 'succeeded' | 'failed' | 'cancelled', error: string | null) {
    await m.query(`UPDATE workflow_step_runs SET state = 'cancelled' WHERE execution_id = $1 AND state IN ('pending', 'queued')`, [execution.id]);
    await m.query(`UPDATE workflow_executions SET state = $2, error = $3, finished_at = now() WHERE id = $1`, [execution.id, state, error]);
    this.log[state === 'failed' ? 'warn' : 'info']({ execution: execution.id, state, error }, `workflow execution ${state}`);
  }
}
