import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { Task, type TaskHandler } from '../src/core/tasks/task.decorator.js';
import { WorkflowEngine } from '../src/orchestration/workflow-engine.js';
import { SHIPPED_WORKFLOWS } from '../src/orchestration/shipped-workflows.js';
import { WorkflowValidator } from '../src/orchestration/workflow-validator.js';
import { WorkflowsService } from '../src/orchestration/workflows.service.js';
import { bootApp } from './support/app.js';
import { runCli, startServer, TEST_WORKER, type ServerProcess } from './support/processes.js';
import { createTestEnv, eventually, TEST_TOKEN, type TestEnv } from './support/test-env.js';

/** Invocations per key, to prove which steps ran and how often. */
const calls = new Map<string, number>();
const intervals = new Map<string, [number, number]>();

class AddArguments {
  @IsInt() a!: number;
  @IsInt() b!: number;
  @IsOptional() @IsInt() delay_ms?: number;
  @IsOptional() @IsString() key?: string;
  @IsOptional() @IsInt() fail_times?: number;
}

@Injectable()
@Task({ name: 'wf_add', queue: 'suppliers', description: 'adds a and b (tests)', arguments: AddArguments })
class AddTask implements TaskHandler<AddArguments> {
  async run({ a, b, delay_ms, key, fail_times }: AddArguments) {
    const started = Date.now();
    const count = (calls.get(key ?? '') ?? 0) + 1;
    if (key) calls.set(key, count);
    if (delay_ms) await new Promise((resolve) => setTimeout(resolve, delay_ms));
    if (key) intervals.set(key, [started, Date.now()]);
    if (fail_times && count <= fail_times) throw new Error(`${key} failed on call ${count}`);
    return { sum: a + b };
  }
}

@Module({ providers: [AddTask] })
class WorkflowTestTasks {}

const add = (id: string, kwargs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id, task: 'wf_add', kwargs, ...extra });

describe('workflows (in-process worker)', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  let workflows: WorkflowsService;
  let engine: WorkflowEngine;
  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'api,worker', WORKER_QUEUES: 'suppliers,workflows' });
    ({ app, url } = await bootApp(t.env, [WorkflowTestTasks], { listen: true }));
    workflows = app.get(WorkflowsService);
    engine = app.get(WorkflowEngine);
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  const finished = (id: string, timeoutMs = 15000) =>
    eventually(async () => {
      const execution = await workflows.execution(id);
      return ['succeeded', 'failed', 'cancelled'].includes(execution.state) ? execution : undefined;
    }, timeoutMs, `execution ${id} to end`);
  const steps = (execution: Awaited<ReturnType<WorkflowsService['execution']>>) => Object.fromEntries(execution.stepRuns.map((s) => [s.stepId, s]));

  it('a diamond runs its two middle steps in parallel and passes results along', async () => {
    const workflow = await workflows.save({
      name: 'diamond',
      input_defaults: { x: 1 },
      steps: [
        add('a', { a: '{{ input.x }}', b: 1 }),
        add('b', { a: '{{ steps.a.result.sum }}', b: 10, delay_ms: 800, key: 'diamond-b' }, { depends_on: ['a'] }),
        add('c', { a: '{{ steps.a.result.sum }}', b: 100, delay_ms: 800, key: 'diamond-c' }, { depends_on: ['a'] }),
        add('d', { a: '{{ steps.b.result.sum }}', b: '{{ steps.c.result.sum }}' }, { depends_on: ['b', 'c'] }),
      ],
    });
    const started = await workflows.start(workflow.id, { x: 5 });
    const execution = await finished(started.id);
    expect(execution).toMatchObject({ state: 'succeeded', error: null, workflowVersion: 1, input: { x: 5 } });
    const byId = steps(execution);
    expect(Object.fromEntries(Object.entries(byId).map(([id, s]) => [id, s.result]))).toEqual({ a: { sum: 6 }, b: { sum: 16 }, c: { sum: 106 }, d: { sum: 122 } });
    const [bStart, bEnd] = intervals.get('diamond-b')!;
    const [cStart, cEnd] = intervals.get('diamond-c')!;
    expect(bStart < cEnd && cStart < bEnd).toBe(true);
    // Each step is its task's own run in history.
    const rows = await eventually(async () => {
      const { rows: found } = await t.db.query("SELECT id, task, state FROM task_runs WHERE id = ANY($1) AND state = 'succeeded'", [Object.values(byId).map((s) => s.taskRunId)]);
      return found.length === 4 ? found : undefined;
    }, 5000, 'the four step runs in history');
    expect(rows.every((r: { task: string; state: string }) => r.task === 'wf_add' && r.state === 'succeeded')).toBe(true);
  });

  it('a step that finishes before the enqueue of it commits is not lost', async () => {
    // Deterministically what a fast worker does by chance: enqueue returns only once the step's
    // task has run, i.e. while advance() still holds its transaction open.
    const runner = app.get(TaskRunner);
    const enqueue = runner.enqueue.bind(runner);
    runner.enqueue = async (request, options) => {
      const queued = await enqueue(request, options);
      if (options?.meta) await eventually(async () => (await t.db.query("SELECT 1 FROM task_runs WHERE id = $1 AND state = 'succeeded'", [queued.runId])).rowCount === 1, 5000, 'the step task to finish');
      return queued;
    };
    try {
      const chain = Array.from({ length: 5 }, (_, i) => add(`s${i}`, { a: i === 0 ? 0 : `{{ steps.s${i - 1}.result.sum }}`, b: 1 }, i > 0 ? { depends_on: [`s${i - 1}`] } : {}));
      const workflow = await workflows.save({ name: 'fast steps', steps: chain });
      const execution = await finished((await workflows.start(workflow.id)).id, 30000);
      expect(execution.state).toBe('succeeded');
      expect(steps(execution).s4.result).toEqual({ sum: 5 });
    } finally {
      runner.enqueue = enqueue;
    }
  });

  it('a failing step stops the workflow per its policy: retried, then failed, dependents never run', async () => {
    const workflow = await workflows.save({
      name: 'stops',
      steps: [add('a', { a: 1, b: 1, key: 'stop-a', fail_times: 99 }, { retry: { attempts: 2, backoff_ms: 10 } }), add('b', { a: 1, b: 1, key: 'stop-b' }, { depends_on: ['a'] })],
    });
    const execution = await finished((await workflows.start(workflow.id)).id);
    expect(execution.state).toBe('failed');
    expect(execution.error).toBe('step "a" (wf_add) failed: stop-a failed on call 2');
    expect(steps(execution).a).toMatchObject({ state: 'failed', attempts: 2 });
    expect(steps(execution).b.state).toBe('cancelled');
    expect(calls.get('stop-b')).toBeUndefined();
  });

  it('with on_failure=continue the dependents run and the execution succeeds, noting the failure', async () => {
    const workflow = await workflows.save({
      name: 'continues',
      steps: [add('a', { a: 1, b: 1, key: 'cont-a', fail_times: 99 }, { on_failure: 'continue' }), add('b', { a: 2, b: 2, key: 'cont-b' }, { depends_on: ['a'] })],
    });
    const execution = await finished((await workflows.start(workflow.id)).id);
    expect(execution).toMatchObject({ state: 'succeeded', error: 'continued past failed step(s): a' });
    expect(steps(execution).b).toMatchObject({ state: 'succeeded', result: { sum: 4 } });
  });

  it('retry resumes from the failure: succeeded steps keep their results and are not run again', async () => {
    const workflow = await workflows.save({
      name: 'resumes',
      steps: [add('a', { a: 1, b: 2, key: 'resume-a' }), add('b', { a: '{{ steps.a.result.sum }}', b: 1, key: 'resume-b', fail_times: 1 }, { depends_on: ['a'], retry: { attempts: 1 } })],
    });
    const first = await finished((await workflows.start(workflow.id)).id);
    expect(first.state).toBe('failed');
    const { runId } = await app.get(TaskRunner).enqueue({ task: 'retry_failed_workflow_execution', args: [first.id] });
    expect(await app.get(TaskRunner).waitFor(runId, 10000)).toEqual({ execution_id: first.id, state: 'running' });
    const again = await finished(first.id);
    expect(again).toMatchObject({ state: 'succeeded', error: null });
    expect(steps(again).b).toMatchObject({ state: 'succeeded', result: { sum: 4 }, generation: 1 });
    expect(calls.get('resume-a')).toBe(1);
    expect(calls.get('resume-b')).toBe(2);
    await expect(engine.retry(first.id)).rejects.toThrow(/is succeeded; only a failed or cancelled execution can be retried/);
  });

  it('cancellation stops an execution: waiting steps never run', async () => {
    const workflow = await workflows.save({
      name: 'cancels',
      steps: [add('a', { a: 1, b: 1, key: 'cancel-a', delay_ms: 800 }), add('b', { a: 1, b: 1, key: 'cancel-b' }, { depends_on: ['a'] })],
    });
    const started = await workflows.start(workflow.id);
    await eventually(() => calls.get('cancel-a') === 1, 5000, 'step a to start');
    const cancelled = await engine.cancel(started.id);
    expect(cancelled.state).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const execution = await workflows.execution(started.id);
    expect(execution.state).toBe('cancelled');
    expect(steps(execution).b.state).toBe('cancelled');
    expect(calls.get('cancel-b')).toBeUndefined();
    await expect(engine.cancel(started.id)).rejects.toThrow(/is cancelled; only a pending or running execution can be cancelled/);
  });

  it.each([
    ['an unknown task', [{ id: 'a', task: 'no_such_task' }], 'step "a": unknown task "no_such_task"'],
    ['an unknown dependency', [add('a', { a: 1, b: 1 }, { depends_on: ['ghost'] })], 'step "a": depends on "ghost", which is not a step of this workflow'],
    ['a cycle', [add('a', { a: 1, b: 1 }, { depends_on: ['b'] }), add('b', { a: 1, b: 1 }, { depends_on: ['a'] })], 'the steps depend on each other in a cycle: a -> b -> a'],
    ['a reference to a step it does not depend on', [add('a', { a: 1, b: 1 }), add('b', { a: '{{ steps.a.result.sum }}', b: 1 })], 'step "b": "{{ steps.a.result.sum }}" refers to step "a", which it does not depend on (add it to depends_on)'],
    ['a malformed reference', [add('a', { a: '{{ inputs.x }}', b: 1 })], 'step "a": "{{ inputs.x }}" must start with input. or steps.'],
    ['invalid arguments', [add('a', { a: 'one', b: 1 })], 'step "a": a must be an integer number (got "one")'],
    ['an unexpected argument next to a reference', [add('a', { a: '{{ input.x }}', b: 1, c: 2 })], 'step "a": unexpected keyword argument "c" for wf_add'],
    ['a bad step id', [{ id: 'Bad Id', task: 'wf_add' }], 'steps.0.id: id must be lower_snake_case'],
  ])('rejects %s with a message naming the step', async (_what, stepList, message) => {
    const error = await workflows.save({ name: 'invalid', steps: stepList }).catch((e: Error) => e);
    expect((error as Error).message).toContain(message);
    expect(await t.db.query("SELECT 1 FROM workflows WHERE name = 'invalid'").then((r) => r.rowCount)).toBe(0);
  });

  it('cleanup_old_executions deletes finished executions past retention and never a running one', async () => {
    const workflow = await workflows.save({ name: 'old', steps: [add('a', { a: 1, b: 1 })] });
    const done = await finished((await workflows.start(workflow.id)).id);
    const running = await workflows.start(workflow.id);
    await finished(running.id);
    await t.db.query("UPDATE workflow_executions SET finished_at = now() - interval '40 days' WHERE id = $1", [done.id]);
    await t.db.query("UPDATE workflow_executions SET state = 'running', finished_at = NULL, started_at = now() - interval '40 days' WHERE id = $1", [running.id]);
    const { result } = await app.get(TaskRunner).runNow({ task: 'cleanup_old_executions', kwargs: { days: 30 } });
    expect(result).toEqual({ days: 30, deleted: 1 });
    const { rows } = await t.db.query('SELECT id FROM workflow_executions WHERE workflow_id = $1', [workflow.id]);
    expect(rows.map((r: { id: string }) => r.id)).toEqual([running.id]);
    expect((await t.db.query('SELECT count(*)::int AS n FROM workflow_step_runs WHERE execution_id = $1', [done.id])).rows[0].n).toBe(0);
  });

  it('a due workflow starts once, however many schedulers run schedule_workflow_executions at once', async () => {
    const workflow = await workflows.save({ name: 'every minute', cron: '* * * * *', steps: [add('a', { a: 1, b: 1 })] });
    await t.db.query("UPDATE workflows SET created_at = now() - interval '3 minutes' WHERE id = $1", [workflow.id]);
    const runner = app.get(TaskRunner);
    const results = await Promise.all([1, 2, 3].map(() => runner.runNow({ task: 'schedule_workflow_executions' })));
    const started = results.flatMap((r) => (r.result as { started: string[] }).started);
    expect(started).toHaveLength(1);
    const { rows } = await t.db.query("SELECT trigger, scheduled_for FROM workflow_executions WHERE workflow_id = $1", [workflow.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].trigger).toBe('schedule');
    expect(rows[0].scheduled_for.getUTCSeconds()).toBe(0);
    // Run again in the same minute: nothing new is due.
    expect(((await runner.runNow({ task: 'schedule_workflow_executions' })).result as { started: string[] }).started).toEqual([]);
  });

  it('REST: create (400 naming the step), start with input, inspect with steps, list, cancel and retry answers', async () => {
    const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
    const bad = await fetch(`${url}/api/workflows`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'rest', steps: [add('a', { a: 1, b: 1 }, { depends_on: ['zzz'] })] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toEqual(['step "a": depends on "zzz", which is not a step of this workflow']);
    const created = (await (await fetch(`${url}/api/workflows`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'rest', steps: [add('a', { a: '{{ input.n }}', b: 1 })] }) })).json()) as { id: number };
    const start = await fetch(`${url}/api/workflows/${created.id}/executions`, { method: 'POST', headers: auth, body: JSON.stringify({ input: { n: 41 } }) });
    expect(start.status).toBe(202);
    const { id } = (await start.json()) as { id: string };
    await finished(id);
    const detail = (await (await fetch(`${url}/api/workflow-executions/${id}`, { headers: auth })).json()) as { state: string; stepRuns: { stepId: string; result: unknown }[] };
    expect(detail).toMatchObject({ state: 'succeeded', stepRuns: [{ stepId: 'a', result: { sum: 42 } }] });
    const list = (await (await fetch(`${url}/api/workflow-executions?workflow_id=${created.id}`, { headers: auth })).json()) as { id: string }[];
    expect(list.map((e) => e.id)).toEqual([id]);
    expect((await fetch(`${url}/api/workflow-executions/${id}/cancel`, { method: 'POST', headers: auth })).status).toBe(400);
    expect((await fetch(`${url}/api/workflow-executions?state=exploded`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${url}/api/workflows`, { headers: {} })).status).toBe(401);
  });
});

describe('workflows: a worker killed mid-step', () => {
  let t: TestEnv;
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t?.cleanup();
  });

  it('the step is recovered by another worker and the execution completes', async () => {
    t = await createTestEnv({ JOB_LOCK_MS: '1500', STALLED_CHECK_MS: '500', TEST_SLEEP_MS: '2500' });
    const env = { ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'suppliers,workflows,maintenance' };
    const first = await startServer(env, undefined, 20000, TEST_WORKER);
    servers.push(first);
    const { app } = await bootApp(t.env, [], { cli: true });
    try {
      // wf_sleep exists only in the worker processes, so this process stores the workflow unchecked
      // and the worker starts it (execute_workflow) and runs its steps.
      const workflow = await app.get(WorkflowsService).save(
        { name: 'sleepy', steps: [{ id: 'nap', task: 'wf_sleep' }, { id: 'after', task: 'system_health_check', depends_on: ['nap'] }] },
        { allowUnregisteredTasks: true },
      );
      await app.get(TaskRunner).enqueue({ task: 'execute_workflow', args: [workflow.id] });
      const nap = await eventually(async () => (await t.db.query("SELECT execution_id, task_run_id FROM workflow_step_runs WHERE step_id = 'nap' AND state = 'queued'")).rows[0], 10000, 'the nap step to be queued');
      await eventually(async () => (await t.db.query("SELECT state FROM task_runs WHERE id = $1", [nap.task_run_id])).rows[0]?.state === 'started', 10000, 'the nap step to start');
      first.child.kill('SIGKILL');
      await first.stop();
      servers.push(await startServer(env, undefined, 20000, TEST_WORKER));
      const execution = await eventually(async () => {
        const { rows } = await t.db.query("SELECT state FROM workflow_executions WHERE id = $1 AND state <> 'running'", [nap.execution_id]);
        return rows[0];
      }, 30000, 'the execution to finish on the second worker');
      expect(execution.state).toBe('succeeded');
      const { rows } = await t.db.query('SELECT step_id, state FROM workflow_step_runs WHERE execution_id = $1 ORDER BY step_id', [nap.execution_id]);
      expect(rows).toEqual([{ step_id: 'after', state: 'succeeded' }, { step_id: 'nap', state: 'succeeded' }]);
      // History is written in batches: the row follows the step within HISTORY_FLUSH_MS.
      const run = await eventually(async () => (await t.db.query("SELECT state, result FROM task_runs WHERE id = $1 AND state = 'succeeded'", [nap.task_run_id])).rows[0], 5000, 'the nap run in history');
      expect(run.result.pid).toBe(servers[1].child.pid);
    } finally {
      await app.close();
    }
  });
});

describe('dropflow workflow (CLI) and run-task execute_workflow, with a worker process', () => {
  let t: TestEnv;
  let worker: ServerProcess;
  let workflowId: number;
  beforeAll(async () => {
    t = await createTestEnv();
    worker = await startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance,workflows' });
    const { app } = await bootApp(t.env, [], { cli: true });
    try {
      workflowId = (await app.get(WorkflowsService).save({
        name: 'Nightly Checks',
        steps: [
          { id: 'health', task: 'system_health_check' },
          { id: 'logs', task: 'cleanup_system_logs', kwargs: { days: '{{ input.days }}' }, depends_on: ['health'] },
        ],
        input_defaults: { days: 7 },
      })).id;
    } finally {
      await app.close();
    }
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.cleanup();
  });

  it('load-shipped stores the shipped workflows once; list shows them', async () => {
    expect((await runCli(['workflow', 'load-shipped'], t.env)).stdout).toBe('created 2 workflow(s): Catalogue Pipeline, Daily Close\n');
    expect((await runCli(['workflow', 'load-shipped'], t.env)).stdout).toBe('created 0 workflow(s)\nkept 2 existing (not overwritten)\n');
    const { code, stdout } = await runCli(['workflow', 'list'], t.env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Catalogue Pipeline\s+\d+\s+1\s+yes\s+-\s+sync listings inventory$/m);
    expect(stdout).toMatch(/^Daily Close\s+\d+\s+1\s+yes\s+30 0 \* \* \* \(UTC\)\s+orders profitability report$/m);
  });

  it('the shipped workflows are valid as shipped: every task they name is registered', async () => {
    const { code, stdout } = await runCli(['workflow', 'list'], t.env);
    expect(code).toBe(0);
    const app = await bootApp(t.env, [], { cli: true });
    try {
      const validator = app.app.get(WorkflowValidator);
      for (const workflow of SHIPPED_WORKFLOWS) expect(() => validator.parse(workflow)).not.toThrow();
    } finally {
      await app.app.close();
    }
    expect(stdout).toContain('Daily Close');
  });

  it('start --wait runs a workflow by name with input and prints its step runs; executions lists it', async () => {
    const { code, stdout } = await runCli(['workflow', 'start', 'Nightly Checks', '--input', '{"days": 3}', '--wait', '--timeout', '30'], t.env);
    expect(code).toBe(0);
    const execution = JSON.parse(stdout);
    expect(execution).toMatchObject({ state: 'succeeded', input: { days: 3 }, trigger: 'manual' });
    expect(execution.stepRuns.map((s: { stepId: string; state: string }) => [s.stepId, s.state])).toEqual([['health', 'succeeded'], ['logs', 'succeeded']]);
    expect(execution.stepRuns[1].result.retentionDays).toBe(3);
    const listed = await runCli(['workflow', 'executions', 'Nightly Checks'], t.env);
    expect(listed.stdout).toContain(execution.id);
  });

  it('run-task execute_workflow --args "[ID]" starts it through the workflows queue', async () => {
    const { code, stdout } = await runCli(['run-task', 'execute_workflow', '--args', `[${workflowId}]`, '--async', '--wait'], t.env);
    expect(code).toBe(0);
    const { execution_id: id } = JSON.parse(stdout);
    await eventually(async () => (await t.db.query("SELECT 1 FROM workflow_executions WHERE id = $1 AND state = 'succeeded'", [id])).rowCount === 1, 15000, 'the execution to succeed');
    const bad = await runCli(['workflow', 'start', 'Nightly Checks', '--input', '[1]'], t.env);
    expect(bad.code).toBe(2);
  });
});
