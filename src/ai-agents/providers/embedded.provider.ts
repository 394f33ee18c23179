import type { AiResult, AiProvider, ChatTurn, DescriptionAnalysis, FeedbackAnalysis, ListingRequest, ListingText, ProductText, StoreSummary } from './ai-provider.js';
import { fitTitle } from './listing-text.js';
import { missingAttributes, sentiment, textStats } from './text-analysis.js';

const free = <T>(value: T): AiResult<T> => ({ value, tokensIn: 0, tokensOut: 0 });

/**
 * The offline provider: wink-nlp analysis and templates, no network, no weights to download,
 * the same answer for the same input every time. Used when no AI endpoint is configured, and
 * as the fallback a task can ask for by name.
 */
export class EmbeddedProvider implements AiProvider {
  readonly name = 'embedded' as const;
  readonly model = 'wink-eng-lite-web-model';

  async analyzeDescription(product: ProductText): Promise<AiResult<DescriptionAnalysis>> {
    return free(describe(product));
  }

  async writeListing({ product, tone, limits }: ListingRequest): Promise<AiResult<ListingText>> {
    const stats = textStats(`${product.title}. ${product.description}`);
    const attributes = Object.entries(product.attributes).filter(([, value]) => typeof value === 'string' || typeof value === 'number');
    const highlights = attributes.slice(0, 2).map(([, value]) => String(value));
    const title = fitTitle([titleCase(product.title), ...highlights].join(' – '), limits.titleMaxLength);
    const body = stats.sentences.slice(1, 4).join(' ') || product.description || product.title;
    const closing = /luxur|premium|elegant/i.test(tone) ? 'Made to be kept for years.' : /playful|fun/i.test(tone) ? 'Go on, treat yourself!' : 'Order today: it ships from our warehouse.';
    return free({
      title,
      description: `${body}\n\n${closing}`.trim(),
      bulletPoints: [
        ...attributes.slice(0, 4).map(([key, value]) => `${titleCase(key)}: ${value}`),
        ...(stats.keywords.length ? [`Great for: ${stats.keywords.slice(0, 3).join(', ')}`] : []),
      ],
      tags: [...stats.keywords, ...highlights.map((h) => h.toLowerCase())],
    });
  }

  async analyzeFeedback(text: string, rating: number | null): Promise<AiResult<FeedbackAnalysis>> {
    return free(sentiment(text, rating));
  }

  async reply(history: ChatTurn[], store: StoreSummary): Promise<AiResult<string>> {
    const question = history.filter((turn) => turn.role === 'user').at(-1)?.content.toLowerCase() ?? '';
    return free(answer(question, store));
  }
}

/** Description quality: length 35 %, key attributes 35 %, readability 20 %, title 10 %. */
function describe(product: ProductText): DescriptionAnalysis {
  const stats = textStats(product.description);
  const missing = missingAttributes(`${product.title} ${product.description}`, product.attributes);
  const words = stats.wordCount;
  const length = words < 20 ? 0.2 : words < 50 ? 0.6 : words <= 300 ? 1 : words <= 600 ? 0.85 : 0.7;
  const fres = stats.readability;
  const readability = fres === null ? 0 : fres >= 50 && fres <= 80 ? 1 : fres > 80 ? 0.85 : Math.max(0, fres / 50);
  const coverage = 1 - missing.length / 4;
  const titleWords = product.title.split(/\s+/).filter(Boolean).length;
  const title = titleWords >= 3 && titleWords <= 15 ? 1 : 0.5;
  const suggestions = [
    ...(words < 50 ? [`Write more: ${words} words; 50–300 sell best.`] : []),
    ...(words > 600 ? [`Trim it: ${words} words is more than buyers read.`] : []),
    ...missing.map((attribute) => `Mention the ${attribute}.`),
    ...(fres !== null && fres < 50 ? ['Use shorter sentences and simpler words.'] : []),
    ...(title < 1 ? ['Give the title 3–15 words: what it is, and its main feature.'] : []),
  ];
  return {
    score: Math.round(100 * (0.35 * length + 0.35 * coverage + 0.2 * readability + 0.1 * title)),
    wordCount: words,
    readability: fres,
    missingAttributes: missing,
    keywords: stats.keywords,
    suggestions,
  };
}

function answer(question: string, store: StoreSummary): string {
  const { products, orders, feedback } = store;
  const revenue = Object.entries(orders.revenue).map(([currency, amount]) => `${amount} ${currency}`).join(', ') || 'no revenue';
  if (/stock|inventory|restock|sold out/.test(question)) {
    if (products.lowStock.length === 0) return `Nothing is running low: ${products.live} live products, ${products.outOfStock} out of stock.`;
    return `${products.outOfStock} products are out of stock. Running low: ${products.lowStock.map((p) => `${p.title} (${p.sku}, ${p.stock} left)`).join('; ')}.`;
  }
  if (/order|sale|sell|revenue|selling/.test(question)) {
    const top = orders.topSkus.map((s) => `${s.sku} (${s.units} units)`).join(', ');
    return `In the last ${orders.days} days: ${orders.count} orders, ${revenue}.${top ? ` Best sellers: ${top}.` : ''}`;
  }
  if (/review|feedback|customer|complain|sentiment/.test(question)) {
    return `${feedback.analysed} reviews analysed: ${feedback.positive} positive, ${feedback.negative} negative.${feedback.topComplaints.length ? ` Most complaints are about ${feedback.topComplaints.join(', ')}.` : ''}`;
  }
  if (/product|catalog|catalogue/.test(question)) {
    return `The catalogue has ${products.total} products, ${products.live} of them live and ${products.outOfStock} out of stock.`;
  }
  return `Your store: ${products.live} live products (${products.outOfStock} out of stock), ${orders.count} orders in the last ${orders.days} days (${revenue}). Ask me about stock, orders, products or reviews.`;
}

function titleCase(text: string): string {
  return text.replace(/[_-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()).trim();
}
