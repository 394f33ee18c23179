import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli, startServer, type ServerProcess } from '../support/processes.js';
import { createTestEnv, TEST_TOKEN, type TestEnv } from '../support/test-env.js';

/**
 * Bad input from every side against one running server with every role: each gets a clear
 * error, the server keeps serving, and ordinary work goes on.
 */
describe('reliability: the bad input matrix', () => {
  let t: TestEnv;
  let server: ServerProcess;
  let hanging: Server;
  let hangingUrl: string;
  const api = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body });
    return { status: response.status, text: await response.text() };
  };
  const waitRun = async (runId: string) => {
    for (let i = 0; i < 200; i++) {
      const run = await api('GET', `/api/task-runs/${runId}`);
      if (run.status === 200 && /"state":"(succeeded|failed)"/.test(run.text)) return JSON.parse(run.text) as { state: string; error: string | null };
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`run ${runId} did not finish`);
  };

  beforeAll(async () => {
    hanging = createServer(() => undefined);
    await new Promise<void>((done) => hanging.listen(0, '127.0.0.1', done));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    t = await createTestEnv({ APP_ROLES: 'all', PORT: '0', HOST: '127.0.0.1', CONNECTOR_TIMEOUT_MS: '800', CONNECTOR_MAX_RETRIES: '1' });
    server = await startServer(t.env);
  }, 60000);
  afterAll(async () => {
    await server?.stop();
    hanging.closeAllConnections();
    await new Promise((done) => hanging.close(done));
    await t.cleanup();
  });

  it.each([
    ['malformed JSON', 'POST', '/api/tasks/system_health_check/enqueue', '{"args": [1,', 400, /JSON|Unexpected|parse/i],
    ['a wrong type', 'POST', '/api/tasks/cleanup_system_logs/enqueue', '{"kwargs": {"days": "seven"}}', 400, /days must be an integer/],
    ['an unknown task', 'POST', '/api/tasks/no_such_task/enqueue', '{}', 400, /Unknown task "no_such_task"/],
    ['an unknown field', 'POST', '/api/suppliers', '{"name": "x", "kind": "feed", "settings": {"path": "a.csv"}, "colour": "red"}', 400, /property colour should not exist/],
    ['an oversized payload', 'POST', '/api/feedback', JSON.stringify({ items: [{ text: 'x'.repeat(2_000_000) }] }), 413, /too large/i],
  ])('REST: %s gets %s with a clear message', async (_what, method, path, body, status, message) => {
    const response = await api(method as string, path as string, body as string);
    expect(response.status).toBe(status);
    const said = JSON.parse(response.text) as { message: string | string[] };
    expect([said.message].flat().join('; ')).toMatch(message as RegExp);
  });

  it.each([
    [['run-task', 'cleanup_system_logs', '--kwargs', '{days: 7}'], /--kwargs is not valid JSON/],
    [['run-task', 'cleanup_system_logs', '--args', '["seven"]'], /days must be an integer/],
    [['run-task', 'no_such_task'], /Unknown task "no_such_task"/],
  ])('CLI: %j exits 2 with a clear message', async (args, message) => {
    const result = await runCli(args as string[], t.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message as RegExp);
  });

  it('a feed with bad bytes and a huge field syncs its good rows and names the bad ones', async () => {
    mkdirSync(t.env.SUPPLIER_FEED_DIR, { recursive: true });
    const rows = [Buffer.from('sku,title,cost,stock\nOK-1,Fine,1.00,1\n'), Buffer.from([0x42, 0x41, 0x44, 0x2d, 0x31, 0x2c, 0xff, 0xfe, 0x2c, 0x31, 0x2c, 0x31, 0x0a]), Buffer.from(`${'S'.repeat(300_000)},Huge sku,1,1\nOK-2,Also fine,2.00,2\n`)];
    writeFileSync(join(t.env.SUPPLIER_FEED_DIR, 'odd.csv'), Buffer.concat(rows));
    const supplier = JSON.parse((await api('POST', '/api/suppliers', JSON.stringify({ name: 'Odd', kind: 'feed', settings: { path: 'odd.csv', format: 'csv' } }))).text);
    const { runId } = JSON.parse((await api('POST', `/api/suppliers/${supplier.id}/sync`, '{}')).text);
    const run = await waitRun(runId);
    expect(run.state).toBe('succeeded');
    const products = JSON.parse((await api('GET', `/api/products?supplier_id=${supplier.id}`)).text);
    expect(products.items.map((p: { sku: string }) => p.sku).sort()).toEqual(['BAD-1', 'OK-1', 'OK-2']);
    const runs = JSON.parse((await api('GET', `/api/suppliers/${supplier.id}/sync-runs`)).text);
    expect(runs[0].errors).toEqual([expect.objectContaining({ reason: 'SKU longer than 255 characters' })]);
  });

  it('a supplier that answers HTML and a marketplace that hangs fail with clear errors; the server keeps serving', async () => {
    const html = JSON.parse((await api('POST', '/api/suppliers', JSON.stringify({ name: 'Html', kind: 'api', settings: { base_url: `${server.url}/dashboard`, products_path: '/' } }))).text);
    const test = await waitRun(JSON.parse((await api('POST', `/api/suppliers/${html.id}/test-connection`, '{}')).text).runId);
    expect(test).toMatchObject({ state: 'failed', error: expect.stringMatching(/not JSON/) });

    const shop = JSON.parse((await api('POST', '/api/marketplaces', JSON.stringify({ name: 'Hanging shop', platform: 'shopify', settings: { store_url: hangingUrl }, credentials: { access_token: 'shpat_x' } }))).text);
    const started = Date.now();
    const sync = await waitRun(JSON.parse((await api('POST', `/api/marketplaces/${shop.id}/sync/listings`, '{}')).text).runId);
    expect(sync).toMatchObject({ state: 'failed', error: expect.stringMatching(/no answer within 0.8 s/) });
    expect(sync.error).not.toContain('shpat_x');
    expect(Date.now() - started).toBeLessThan(20000);

    // Still serving, and ordinary work still runs.
    const ok = await waitRun(JSON.parse((await api('POST', '/api/tasks/system_health_check/enqueue', '{}')).text).runId);
    expect(ok.state).toBe('succeeded');
    expect(server.child.exitCode).toBeNull();
  });
});
