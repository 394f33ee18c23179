import { createTestEnv, type TestEnv } from './support/test-env.js';
import { runCli } from './support/processes.js';

describe('dropflow run-task (CLI)', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createTestEnv();
  });
  afterAll(() => t.cleanup());

  const waitingJobs = async () => (await t.redis.keys(`${t.prefix}:*:wait`)).length + (await t.redis.keys(`${t.prefix}:*:[0-9a-f]*-*`)).length;

  it('--list-tasks lists every registered task with its queue, arguments and description', async () => {
    const { code, stdout } = await runCli(['run-task', '--list-tasks'], t.env);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TASK\s+QUEUE\s+ARGUMENTS\s+DESCRIPTION$/);
    const rows = Object.fromEntries(lines.slice(2).map((line) => [line.split(/\s+/)[0], line]));
    expect(Object.keys(rows)).toEqual(expect.arrayContaining(['system_health_check', 'cleanup_system_logs', 'database_maintenance', 'backup_database']));
    expect(rows.cleanup_system_logs).toMatch(/maintenance\s+days=None, max_total_mb=None\s+Delete rotated log files/);
    expect(rows.system_health_check).toMatch(/maintenance\s+-\s+Check database, Redis/);
  });

  it('runs a task in the CLI process, prints its result, and records the run', async () => {
    const { code, stdout, stderr } = await runCli(['run-task', 'system_health_check'], t.env);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(['ok', 'warning', 'critical']).toContain(result.status);
    expect(result.checks.database.status).toBe('ok');
    expect(result.checks.redis.status).toBe('ok');
    const runId = /run ([0-9a-f-]{36}) succeeded/.exec(stderr)![1];
    const { rows } = await t.db.query('SELECT task, queue, mode, state, attempts, result FROM task_runs WHERE id = $1', [runId]);
    expect(rows).toEqual([{ task: 'system_health_check', queue: 'maintenance', mode: 'inline', state: 'succeeded', attempts: 1, result }]);
    const stored = await t.db.query('SELECT status FROM health_checks WHERE id = $1', [result.id]);
    expect(stored.rows[0].status).toBe(result.status);
  });

  it('passes --args and --kwargs Celery-style', async () => {
    const { code, stdout } = await runCli(['run-task', 'cleanup_system_logs', '--args', '[30]', '--kwargs', '{"max_total_mb": 5}'], t.env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ retentionDays: 30, maxTotalBytes: 5 * 1024 * 1024 });
  });

  it.each([
    [['run-task', 'no_such_task'], /Unknown task "no_such_task"\. Registered tasks: .*backup_database, .*--list-tasks/],
    [['run-task', 'cleanup_system_logs', '--args', '[1,'], /--args is not valid JSON: .*Expected a JSON array/],
    [['run-task', 'cleanup_system_logs', '--kwargs', '{days: 1}'], /--kwargs is not valid JSON/],
    [['run-task', 'cleanup_system_logs', '--kwargs', '[1]'], /--kwargs must be a JSON object/],
    [['run-task', 'cleanup_system_logs', '--async', '--kwargs', '{"days": "ten"}'], /Invalid arguments for task "cleanup_system_logs":\n(.*\n)* {2}- days must be an integer number \(got "ten"\)/],
    [['run-task', 'cleanup_system_logs', '--async', '--args', '[1, 2, 3]'], /takes at most 2 positional argument\(s\) \(days, max_total_mb\), got 3/],
    [['run-task', 'system_health_check', '--wait'], /--wait goes with --async/],
    [['run-task'], /Name a task to run/],
    [['run-task', '--bogus'], /unknown option '--bogus'/],
  ])('%j is refused with a clear message and exit code 2, and nothing is enqueued', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args, t.env);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(await waitingJobs()).toBe(0);
  });

  it('says Redis is unreachable, exits non-zero and enqueues nothing when the broker is down', async () => {
    const { code, stderr } = await runCli(['run-task', 'system_health_check', '--async'], { ...t.env, REDIS_URL: 'redis://:s3cret-pass@127.0.0.1:1/0' });
    expect(code).toBe(69);
    expect(stderr).toMatch(/Redis is unreachable at redis:\/\/:%5Bredacted%5D@127\.0\.0\.1:1\/0 .*nothing was enqueued/);
    expect(stderr).not.toContain('s3cret-pass');
  });

  it('names the variable when the configuration is wrong', async () => {
    const { code, stderr } = await runCli(['run-task', '--list-tasks'], { ...t.env, HISTORY_FLUSH_MS: 'soon' });
    expect(code).toBe(78);
    expect(stderr).toMatch(/Invalid configuration:\n {2}- HISTORY_FLUSH_MS must be .* \(got "soon"\)/);
  });
});
