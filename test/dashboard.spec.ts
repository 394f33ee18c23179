import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type ServerProcess } from './support/processes.js';
import { createTestEnv, TEST_TOKEN, type TestEnv } from './support/test-env.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-output', 'dashboard');

/** The dashboard as an operator uses it, in headless Chromium against a real server with every role. */
describe('dashboard (headless Chromium)', () => {
  let t: TestEnv;
  let server: ServerProcess;
  let browser: BrowserContext;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await createTestEnv({ APP_ROLES: 'all', PORT: '0', HOST: '127.0.0.1' });
    server = await startServer(t.env);
    base = server.url;
    // A fresh, empty profile, and no background networking: this machine is offline.
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dropflow-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 90000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.cleanup();
  });

  it('refuses a wrong token and shows no data', async () => {
    expect((await fetch(`${base}/api/task-runs`)).status).toBe(401);
    expect((await fetch(`${base}/dashboard/assets/app.js`)).status).toBe(401);
    expect((await fetch(`${base}/dashboard/queues/`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    await page.goto(`${base}/dashboard`);
    await page.fill('#token', 'not-the-admin-token-at-all');
    await page.click('#login');
    await page.waitForSelector('.error');
    expect(await page.textContent('.error')).toContain('not the admin token');
  });

  it('logs in, sees six queues and a live worker, runs system_health_check and watches it succeed without a reload', async () => {
    await page.goto(`${base}/dashboard`);
    await page.fill('#token', TEST_TOKEN);
    await page.click('#login');
    await page.waitForSelector('#queue-table tr[data-queue]');
    expect(await page.locator('#queue-table tr[data-queue]').count()).toBe(6);
    await page.waitForFunction(() => Number((globalThis as any).document.querySelector('#workers-online')?.textContent) >= 1, undefined, { timeout: 20000 });
    const cookies = await browser.cookies();
    expect(cookies.find((c) => c.name === 'dropflow_token')).toMatchObject({ httpOnly: true });
    expect(await page.evaluate(() => (globalThis as any).document.cookie as string)).not.toContain(TEST_TOKEN);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });

    await page.click('a[href="#tasks"]');
    await page.selectOption('#run-task', 'system_health_check');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await page.click('#run-now');
    const row = page.locator('#runs tr[data-run]', { hasText: 'system_health_check' }).first();
    await row.locator('.state.succeeded').waitFor({ timeout: 20000 });
    expect(navigations.filter((url) => !url.includes('#'))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'tasks.png') });

    await row.locator('a').click();
    await page.waitForSelector('#result');
    expect(await page.textContent('#result')).toContain('"status"');
    await page.screenshot({ path: join(SCREENSHOTS, 'run.png') });
  });

  it('pauses and resumes a queue from the page, and the queue really is paused', async () => {
    await page.click('a[href="#queues"]');
    const row = page.locator('tr[data-queue="analytics"]');
    await row.locator('button[data-action="pause"]').click();
    await row.locator('.queue-state .state.paused').waitFor();
    const queues = (await (await fetch(`${base}/api/queues`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).json()) as any[];
    expect(queues.find((q: any) => q.name === 'analytics').paused).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'queues-paused.png') });
    await row.locator('button[data-action="resume"]').click();
    await row.locator('.queue-state .state.running').waitFor();
    const after = (await (await fetch(`${base}/api/queues`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).json()) as any[];
    expect(after.find((q: any) => q.name === 'analytics').paused).toBe(false);
  });

  it('shows workers, schedules and health, and serves bull-board, the API docs and metrics behind the login', async () => {
    await page.click('a[href="#workers"]');
    await page.waitForSelector('#worker-table td');
    await page.click('a[href="#schedules"]');
    await page.waitForSelector('tr[data-id]');
    expect(await page.textContent('tr[data-id]')).toContain('Schedule Workflow Executions');
    await page.click('a[href="#health"]');
    await page.waitForSelector('.card h2');
    await page.screenshot({ path: join(SCREENSHOTS, 'health.png') });
    expect((await page.goto(`${base}/dashboard/queues/`))?.status()).toBe(200);
    expect((await page.goto(`${base}/api/docs`))?.status()).toBe(200);
    const metrics = await page.goto(`${base}/metrics`);
    expect(await metrics?.text()).toMatch(/dropflow_queue_jobs\{queue="maintenance",state="completed"\} \d+/);
  });
});
