import { EmbeddedProvider } from '../../src/ai-agents/providers/embedded.provider.js';
import { fitTitle, withinLimits } from '../../src/ai-agents/providers/listing-text.js';
import { missingAttributes, sentiment } from '../../src/ai-agents/providers/text-analysis.js';

/** Real-world shaped reviews, with the label a person would give them. */
const REVIEWS: [string, number | null, 'positive' | 'neutral' | 'negative'][] = [
  ['Absolutely love this lamp, it looks even better than in the photos and arrived two days early.', 5, 'positive'],
  ['Great value for money. Sturdy, well made and the colour is exactly as pictured.', null, 'positive'],
  ['Never arrived. The seller stopped answering my messages and I am still waiting for a refund.', 1, 'negative'],
  ['Cheaply made, the strap broke after a week. Waste of money.', null, 'negative'],
  ['The item came in a brown box.', null, 'neutral'],
  ['Ordered the blue one on Monday.', 3, 'neutral'],
];

describe('embedded text analysis', () => {
  it.each(REVIEWS)('%s → %s', (text, rating, expected) => {
    expect(sentiment(text, rating).label).toBe(expected);
  });

  it('is deterministic and names the aspects a review talks about', () => {
    const text = 'Shipping took a month and the box was crushed, but the quality of the blanket is excellent.';
    expect(sentiment(text, null)).toEqual(sentiment(text, null));
    const aspects = Object.fromEntries(sentiment(text, null).aspects.map((a) => [a.aspect, a.label]));
    expect(aspects.quality).toBe('positive');
    expect(aspects.packaging).toBeDefined();
    expect(aspects.shipping).toBeDefined();
  });

  it('finds the key attributes a description leaves out, from its text or its attributes', () => {
    expect(missingAttributes('A lovely mug.', {})).toEqual(['material', 'size', 'colour', 'weight']);
    expect(missingAttributes('A red cotton scarf, 180 cm long, 120 g.', {})).toEqual([]);
    expect(missingAttributes('A scarf.', { Material: 'wool', color: 'red' })).toEqual(['size', 'weight']);
  });

  it('writes listings that fit the marketplace, however long the product title', async () => {
    const provider = new EmbeddedProvider();
    const { value } = await provider.writeListing({
      product: { title: 'extra large insulated stainless steel water bottle with carry loop and leak proof lid', description: 'Keeps water cold for 24 hours. Holds 1 litre. Weighs 400 g.', attributes: { material: 'steel', colour: 'sage' } },
      tone: 'friendly',
      limits: { titleMaxLength: 40, maxTags: 3 },
    });
    const fitted = withinLimits(value, { titleMaxLength: 40, maxTags: 3 });
    expect(fitted.title.length).toBeLessThanOrEqual(40);
    expect(fitted.title).not.toMatch(/[\s–-]$/);
    expect(fitted.tags.length).toBeLessThanOrEqual(3);
    expect(fitted.bulletPoints).toContain('Material: steel');
    expect(fitTitle('Short title', 40)).toBe('Short title');
  });
});
