import type { INestApplication } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueRegistry } from '../src/core/queues/queue-registry.js';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { bootApp } from './support/app.js';
import { OpenAiEmulator } from './support/emulators/openai.emulator.js';
import { ShopifyEmulator } from './support/emulators/shopify.emulator.js';
import { createTestEnv, eventually, TEST_TOKEN, type TestEnv } from './support/test-env.js';

const GOOD = 'This handmade ceramic mug holds 350 ml of coffee or tea. It is glazed in a deep navy blue and weighs 320 g. The mug is dishwasher and microwave safe, and its wide handle fits two fingers comfortably. Every piece is fired twice, so the glaze stays bright for years. It measures 9 cm tall and 8 cm across. Pair it with our matching saucer for a complete set, or give it as a gift to the tea lover in your life.';
const THIN = 'Nice mug. Buy now.';

const PRODUCTS = [
  { sku: 'MUG-1', title: 'Handmade ceramic coffee mug', description: GOOD, cost: 4, stock: 3, attributes: { material: 'ceramic', colour: 'navy' } },
  { sku: 'MUG-2', title: 'Mug', description: THIN, cost: 2, stock: 50 },
  { sku: 'MUG-3', title: 'Stainless steel travel tumbler with lid', description: 'A stainless steel tumbler that keeps drinks hot for six hours. It holds 500 ml and weighs 280 g, in matte black.', cost: 6, stock: 0 },
];

async function api(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

async function seedCatalogue(t: TestEnv, url: string, runner: TaskRunner, products = PRODUCTS): Promise<number> {
  mkdirSync(t.env.SUPPLIER_FEED_DIR, { recursive: true });
  writeFileSync(join(t.env.SUPPLIER_FEED_DIR, 'mugs.json'), JSON.stringify(products));
  const supplier = await api(url, 'POST', '/api/suppliers', { name: 'Mugs', kind: 'feed', settings: { path: 'mugs.json', format: 'json' } });
  const { runId } = await runner.enqueue({ task: 'sync_supplier_products', kwargs: { supplier_id: supplier.body.id } });
  await runner.waitFor(runId, 30000);
  return supplier.body.id;
}

describe('AI agents with the embedded provider', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  let runner: TaskRunner;
  let shopify: ShopifyEmulator;
  let supplierId: number;
  const ids: Record<string, string> = {};
  const run = async (task: string, kwargs: Record<string, unknown> = {}) => {
    const { runId } = await runner.enqueue({ task, kwargs });
    return (await runner.waitFor(runId, 30000)) as any;
  };

  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'api,worker', WORKER_QUEUES: 'suppliers,ai_processing' });
    shopify = await new ShopifyEmulator().start();
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
    runner = app.get(TaskRunner);
    supplierId = await seedCatalogue(t, url, runner);
    for (const row of (await t.db.query('SELECT id, sku FROM supplier_products')).rows) ids[row.sku] = row.id;
  });
  afterAll(async () => {
    await app?.close();
    await shopify?.stop();
    await t.cleanup();
  });

  it('scores descriptions, flags a thin one missing its size and material, and never analyses unchanged text twice', async () => {
    const first = await run('analyze_product_descriptions', { supplier_id: supplierId });
    expect(first).toMatchObject({ analyzed: 3, skipped_unchanged: 0, tokens: 0 });
    const analyses = Object.fromEntries((await t.db.query('SELECT p.sku, a.* FROM product_analyses a JOIN supplier_products p ON p.id = a.supplier_product_id')).rows.map((r: any) => [r.sku, r]));
    expect(analyses['MUG-1'].score).toBeGreaterThanOrEqual(80);
    expect(analyses['MUG-1'].missing_attributes).toEqual([]);
    expect(analyses['MUG-2'].score).toBeLessThan(40);
    expect(analyses['MUG-2'].missing_attributes).toEqual(expect.arrayContaining(['material', 'size']));
    expect(analyses['MUG-2'].suggestions.join(' ')).toMatch(/Write more/);
    expect(analyses['MUG-1'].keywords).toContain('mug');
    expect(first.weakest[0]).toMatchObject({ sku: 'MUG-2' });

    expect(await run('analyze_product_descriptions', { supplier_id: supplierId })).toMatchObject({ analyzed: 0, skipped_unchanged: 3 });
    writeFileSync(join(t.env.SUPPLIER_FEED_DIR, 'mugs.json'), JSON.stringify(PRODUCTS.map((p) => (p.sku === 'MUG-2' ? { ...p, description: `${THIN} It is made of white porcelain and measures 10 cm.` } : p))));
    await run('sync_supplier_products', { supplier_id: supplierId });
    expect(await run('analyze_product_descriptions', { product_ids: [Number(ids['MUG-2'])] })).toMatchObject({ analyzed: 1 });
    const latest = (await api(url, 'GET', `/api/ai/analyses?product_id=${ids['MUG-2']}`)).body;
    expect(latest.total).toBe(2);
    expect(latest.items[0].missingAttributes).not.toContain('material');
  });

  it('scores customer feedback: a clearly negative review is negative, aspects are found, products are rolled up', async () => {
    const ingest = await api(url, 'POST', '/api/feedback', {
      items: [
        { sku: 'MUG-1', text: 'The mug arrived broken and the delivery took three weeks. Terrible, I want a refund.', rating: 1 },
        { sku: 'MUG-1', text: 'Lovely mug, great quality and fast shipping. Highly recommend!', rating: 5 },
        { sku: 'MUG-1', text: 'It is a mug.' },
        { sku: 'NOPE', text: 'Who am I?' },
      ],
    });
    expect(ingest.status).toBe(201);
    expect(ingest.body).toMatchObject({ received: 4, unknown_skus: ['NOPE'] });
    expect((await api(url, 'POST', '/api/feedback', { items: [{ rating: 9 }] })).status).toBe(400);

    const result = await run('analyze_customer_feedback');
    expect(result).toMatchObject({ analyzed: 4, products_updated: 1 });
    const rows = (await t.db.query('SELECT text, sentiment_label, sentiment_score::float AS score, aspects FROM customer_feedback ORDER BY id')).rows;
    expect(rows[0].sentiment_label).toBe('negative');
    expect(rows[0].score).toBeLessThan(-0.3);
    expect(rows[0].aspects).toEqual(expect.arrayContaining([expect.objectContaining({ aspect: 'shipping', label: 'negative' })]));
    expect(rows[1].sentiment_label).toBe('positive');
    expect(rows[1].aspects.map((a: any) => a.aspect)).toEqual(expect.arrayContaining(['quality', 'shipping']));
    expect(rows[2].sentiment_label).toBe('neutral');

    const summary = (await api(url, 'GET', `/api/products/${ids['MUG-1']}/feedback-summary`)).body;
    expect(summary).toMatchObject({ reviews: 3, positive: 1, negative: 1, neutral: 1 });
    expect(summary.aspects.shipping.mentions).toBe(2);
    expect(await run('analyze_customer_feedback')).toMatchObject({ analyzed: 0 });
    expect((await api(url, 'GET', '/api/feedback?label=negative')).body.total).toBe(1);
  });

  it('writes listing drafts within the marketplace limits, and publishes only approved ones through the connector', async () => {
    const shop = await api(url, 'POST', '/api/marketplaces', { name: 'Shop', platform: 'shopify', settings: { store_url: shopify.url, title_max_length: 30, max_tags: 3, price_markup: 2.5 }, credentials: { access_token: shopify.token } });
    const generated = await run('generate_marketplace_listings', { marketplace_id: shop.body.id, limit: 2 });
    expect(generated).toMatchObject({ generated: 2 });
    const drafts = (await api(url, 'GET', `/api/ai/drafts?marketplace_id=${shop.body.id}`)).body.items;
    expect(drafts).toHaveLength(2);
    for (const draft of drafts) {
      expect(draft.title.length).toBeLessThanOrEqual(30);
      expect(draft.tags.length).toBeLessThanOrEqual(3);
      expect(draft).toMatchObject({ state: 'draft', provider: 'embedded' });
      expect(draft.description.length).toBeGreaterThan(10);
    }
    expect(await run('generate_marketplace_listings', { marketplace_id: shop.body.id, limit: 2 })).toMatchObject({ generated: 1, skipped_existing: 2 });

    const draft = drafts.find((d: any) => d.supplierProductId === ids['MUG-1']);
    const early = await api(url, 'POST', `/api/ai/drafts/${draft.id}/publish`);
    expect(early.status).toBe(400);
    expect(early.body.message).toContain('approve it before publishing');
    expect(shopify.requestsTo('POST', 'products.json')).toHaveLength(0);

    expect((await api(url, 'POST', `/api/ai/drafts/${draft.id}/approve`)).body.state).toBe('approved');
    const published = await api(url, 'POST', `/api/ai/drafts/${draft.id}/publish`);
    expect(published.body).toMatchObject({ state: 'published', externalProductId: expect.any(String) });
    const [sent] = shopify.requestsTo('POST', 'products.json');
    expect(sent.body.product).toMatchObject({ title: draft.title, tags: draft.tags.join(', '), variants: [{ sku: 'MUG-1', price: '10.00' }] });
    expect(sent.body.product.body_html).toContain('<p>');
    expect((await api(url, 'POST', `/api/ai/drafts/${draft.id}/reject`)).status).toBe(400);
  });

  it('runs stored AI tasks through process_ai_task, caching analyses by content hash', async () => {
    const created = await api(url, 'POST', '/api/ai/tasks', { kind: 'analyze_text', input: { text: 'Terrible. It broke on day one.', rating: 1 } });
    expect(created.status).toBe(202);
    await runner.waitFor(created.body.runId, 30000);
    const task = (await api(url, 'GET', `/api/ai/tasks/${created.body.id}`)).body;
    expect(task).toMatchObject({ state: 'succeeded', provider: 'embedded', output: { label: 'negative' } });

    const analysis = await api(url, 'POST', '/api/ai/tasks', { kind: 'analyze_product', input: { product_id: Number(ids['MUG-1']) } });
    await runner.waitFor(analysis.body.runId, 30000);
    expect((await api(url, 'GET', `/api/ai/tasks/${analysis.body.id}`)).body.output).toMatchObject({ cached: true });

    const bad = await api(url, 'POST', '/api/ai/tasks', { kind: 'analyze_text', input: { rating: 7 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/input.text|text must be/);
    expect((await api(url, 'POST', '/api/ai/tasks', { kind: 'analyze_text', input: { text: 'x' }, provider: 'openai' })).body.message).toMatch(/set AI_BASE_URL/);
  });

  it('chats about the store from a fresh summary, keeps the conversation, and cleans up idle sessions', async () => {
    const session = (await api(url, 'POST', '/api/ai/chat/sessions', { title: 'Stock check' })).body;
    const reply = await api(url, 'POST', `/api/ai/chat/sessions/${session.id}/messages`, { content: 'What is running low in stock?' });
    expect(reply.status).toBe(200);
    expect(reply.body.reply.content).toContain('MUG-1');
    expect(reply.body.reply.content).toMatch(/1 products are out of stock/);
    const reviews = await api(url, 'POST', `/api/ai/chat/sessions/${session.id}/messages`, { content: 'How are the reviews?' });
    expect(reviews.body.reply.content).toMatch(/reviews analysed/);
    expect((await api(url, 'GET', `/api/ai/chat/sessions/${session.id}`)).body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

    const old = (await api(url, 'POST', '/api/ai/chat/sessions', {})).body;
    await t.db.query("UPDATE chat_sessions SET last_activity_at = now() - interval '40 days' WHERE id = $1", [old.id]);
    expect(await run('cleanup_ai_sessions', { days: 30 })).toMatchObject({ sessions_removed: 1 });
    expect((await api(url, 'GET', '/api/ai/chat/sessions')).body.map((s: any) => s.id)).toEqual([session.id]);
  });
});

describe('AI agents with an OpenAI-compatible provider', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  let runner: TaskRunner;
  let openai: OpenAiEmulator;

  beforeAll(async () => {
    openai = await new OpenAiEmulator().start();
    t = await createTestEnv({
      APP_ROLES: 'api,worker',
      WORKER_QUEUES: 'suppliers,ai_processing',
      AI_PROVIDER: 'openai',
      AI_BASE_URL: `${openai.url}/v1`,
      AI_API_KEY: openai.apiKey,
      AI_MODEL: 'test-model',
      AI_REQUESTS_PER_SECOND: '50',
      AI_PRICE_INPUT_PER_1K: '0.5',
      AI_PRICE_OUTPUT_PER_1K: '1.5',
      AI_DAILY_TOKEN_BUDGET: '2000',
    });
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
    runner = app.get(TaskRunner);
  });
  afterAll(async () => {
    await app?.close();
    await openai?.stop();
    await t.cleanup();
  });

  const task = async (input: Record<string, unknown>, kind = 'analyze_text') => {
    const created = await api(url, 'POST', '/api/ai/tasks', { kind, input });
    await runner.waitFor(created.body.runId, 30000).catch(() => undefined);
    return (await api(url, 'GET', `/api/ai/tasks/${created.body.id}`)).body;
  };

  it('rides out a 429 with Retry-After and a 500, re-asks once after output that is not JSON, and records tokens and cost', async () => {
    openai.fail('/v1/chat/completions', { status: 429, headers: { 'retry-after': '0.1' }, body: { error: { message: 'Rate limit reached' } } });
    openai.fail('/v1/chat/completions', { status: 500, body: { error: { message: 'The server had an error' } } });
    openai.script.push('Sure! Here is the JSON you wanted: {score: bad}');
    const result = await task({ text: 'It broke and shipping was late.' });
    expect(result).toMatchObject({ state: 'succeeded', provider: 'openai', model: 'test-model', output: { label: 'negative', score: -0.8 } });
    expect(result.tokensIn).toBeGreaterThan(0);
    expect(Number(result.cost)).toBeCloseTo((result.tokensIn / 1000) * 0.5 + (result.tokensOut / 1000) * 1.5, 5);
    const calls = openai.requestsTo('POST', '/v1/chat/completions');
    expect(calls).toHaveLength(4);
    expect(calls[0].body).toMatchObject({ model: 'test-model', response_format: { type: 'json_object' } });
    expect(calls[3].body.messages.at(-1).content).toContain('previous answer was not valid');
    expect(calls.every((c) => c.headers.authorization === `Bearer ${openai.apiKey}`)).toBe(true);
    const [usage] = (await api(url, 'GET', '/api/ai/usage')).body;
    expect(usage).toMatchObject({ provider: 'openai', calls: 1 });
  });

  it('fails clearly when the model answers twice with the wrong shape', async () => {
    openai.script.push('{"score": 5}', '{"label": "meh"}');
    const result = await task({ text: 'Fine.' });
    expect(result.state).toBe('failed');
    expect(result.error).toMatch(/answered twice without the expected JSON/);
  });

  it('stops at the daily token budget with a message saying when it refills; the embedded provider is still there', async () => {
    await t.db.query("INSERT INTO ai_calls (provider, model, purpose, tokens_in, tokens_out, latency_ms, ok) VALUES ('openai', 'test-model', 'test', 1500, 600, 10, true)");
    const before = openai.requests.length;
    const result = await task({ text: 'Great mug.' });
    expect(result.state).toBe('failed');
    expect(result.error).toMatch(/Today's AI token budget is spent .* refills at \d{4}-/);
    expect(openai.requests.length).toBe(before);
    const created = await api(url, 'POST', '/api/ai/tasks', { kind: 'analyze_text', input: { text: 'Great mug.' }, provider: 'embedded' });
    await runner.waitFor(created.body.runId, 30000);
    await eventually(async () => (await api(url, 'GET', `/api/ai/tasks/${created.body.id}`)).body.state === 'succeeded');
  });

  it('with AI_BUDGET_EXHAUSTED=wait, a task over budget re-enqueues itself for when the budget refills', async () => {
    const waiting = await bootApp({ ...t.env, AI_BUDGET_EXHAUSTED: 'wait' }, [], { cli: true });
    try {
      const created = await api(url, 'POST', '/api/ai/tasks', { kind: 'analyze_text', input: { text: 'Later, please.' } });
      await runner.waitFor(created.body.runId, 30000).catch(() => undefined);
      const { result } = (await waiting.app.get(TaskRunner).runNow({ task: 'process_ai_task', kwargs: { ai_task_id: created.body.id } })) as { result: any };
      expect(result).toMatchObject({ deferred_until: expect.stringMatching(/^\d{4}-/), reason: expect.stringContaining('budget is spent') });
      const job = await waiting.app.get(QueueRegistry).get('ai_processing').getJob(result.run_id);
      expect(job?.data.kwargs).toEqual({ ai_task_id: created.body.id });
      expect(await job?.isDelayed()).toBe(true);
      expect((await api(url, 'GET', `/api/ai/tasks/${created.body.id}`)).body).toMatchObject({ state: 'pending', error: expect.stringContaining('budget is spent') });
      expect(job!.opts.delay).toBeGreaterThan(0);
    } finally {
      await waiting.app.close();
    }
  });
});
