/**
 * AI figures for npm run bench: the embedded provider's speed on its own, and through the
 * tasks (database reads and writes and call records included).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedProvider } from '../src/ai-agents/providers/embedded.provider.js';
import { FeedbackService } from '../src/ai-agents/feedback.service.js';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { SuppliersService } from '../src/suppliers/suppliers.service.js';

type Report = (name: string, value: number, unit: string) => void;

const MATERIALS = ['ceramic', 'cotton', 'steel', 'bamboo', 'glass'];
const description = (i: number) =>
  `This ${MATERIALS[i % 5]} item number ${i} is made for everyday use and measures ${10 + (i % 30)} cm across. ` +
  'It is easy to clean, comes gift-wrapped, and ships within two days from our warehouse. ' +
  (i % 3 === 0 ? 'Available in navy blue, it weighs 300 g.' : 'Customers love how it feels in the hand.');
const REVIEWS = [
  'Arrived broken and the seller never answered. I want a refund.',
  'Love it! Great quality and fast shipping.',
  'It does the job. Delivery took a week.',
  'The colour is different from the picture, a bit disappointed.',
  'Excellent value for money, would buy again.',
];

export async function aiFigures(client: INestApplicationContext, feedDir: string, report: Report): Promise<void> {
  const provider = new EmbeddedProvider();
  const texts = Array.from({ length: 2000 }, (_, i) => description(i));
  let started = performance.now();
  for (const [i, text] of texts.entries()) await provider.analyzeDescription({ title: `Item ${i}`, description: text, attributes: {} });
  report('embedded provider: descriptions analysed (provider alone)', texts.length / ((performance.now() - started) / 1000), '/s');
  started = performance.now();
  for (let i = 0; i < 5000; i++) await provider.analyzeFeedback(REVIEWS[i % REVIEWS.length], (i % 5) + 1);
  report('embedded provider: reviews scored (provider alone)', 5000 / ((performance.now() - started) / 1000), '/s');

  const runner = client.get(TaskRunner);
  writeFileSync(join(feedDir, 'ai.json'), JSON.stringify(texts.map((text, i) => ({ sku: `AI-${i}`, title: `Item ${i}`, description: text, cost: 3, stock: 5 }))));
  const supplier = await client.get(SuppliersService).create({ name: 'Bench AI feed', kind: 'feed', settings: { path: 'ai.json', format: 'json' } });
  await runner.runNow({ task: 'sync_supplier_products', kwargs: { supplier_id: supplier.id } });
  started = performance.now();
  const { result } = (await runner.runNow({ task: 'analyze_product_descriptions', kwargs: { supplier_id: supplier.id, limit: texts.length } })) as { result: { analyzed: number } };
  report(`analyze_product_descriptions, ${result.analyzed.toLocaleString('en-US')} products (stored, calls recorded)`, result.analyzed / ((performance.now() - started) / 1000), '/s');

  await client.get(FeedbackService).ingest(Array.from({ length: 2000 }, (_, i) => ({ text: REVIEWS[i % REVIEWS.length], rating: (i % 5) + 1, sku: `AI-${i}` })));
  started = performance.now();
  const scored = (await runner.runNow({ task: 'analyze_customer_feedback' })).result as { analyzed: number };
  report(`analyze_customer_feedback, ${scored.analyzed.toLocaleString('en-US')} reviews (stored, rolled up)`, scored.analyzed / ((performance.now() - started) / 1000), '/s');
}
