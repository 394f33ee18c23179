import { createRequire } from 'node:module';
import type winkNLP from 'wink-nlp';
import type { AspectSentiment, SentimentLabel } from '../entities/customer-feedback.entity.js';

/**
 * Deterministic English text analysis on wink-nlp and its lite English model (an npm package:
 * nothing is downloaded at run time). Shared by the embedded provider and, for the measurable
 * parts (word count, readability), by the remote one. The model is loaded on first use, not at
 * import: every process imports this module, and only those doing AI work should carry the model.
 */
const require = createRequire(import.meta.url);
type Nlp = ReturnType<typeof winkNLP>;
let loaded: Nlp | undefined;

function engine(): Nlp {
  loaded ??= (require('wink-nlp') as typeof winkNLP)(require('wink-eng-lite-web-model'));
  return loaded;
}

/** The attributes a buyer looks for in a description, and how a text shows it mentions them. */
export const KEY_ATTRIBUTES: Record<string, RegExp> = {
  material: /\b(material|made (of|from)|cotton|polyester|leather|steel|stainless|wood(en)?|plastic|glass|ceramic|porcelain|silicone|alumini?um|wool|linen|nylon|bamboo|metal|rubber|silk|denim)\b/i,
  size: /\b(size[sd]?|dimensions?|measures?|\d+(\.\d+)?\s?(cm|mm|m|in|inch|inches|ft|ml|l|oz)\b|x-?small|small|medium|large|x-?large|xx?l)\b/i,
  colour: /\b(colou?rs?|black|white|red|blue|green|yellow|grey|gray|pink|purple|orange|brown|beige|navy|silver|gold)\b/i,
  weight: /\b(weigh(s|t)?|\d+(\.\d+)?\s?(g|kg|lb|lbs|grams?|kilograms?|pounds?)\b)\b/i,
};

/** Words of online reviews the general lexicon misses or underweights. */
const DOMAIN_NEGATIVE = /\b(broke|broken|damaged|defective|refund|returned|returning|never (arrived|came)|late|missing|wrong (item|size|colou?r)|fake|waste|cheaply made|flimsy|stopped working|doesn'?t work|not as described|disappointed|disappointing)\b/gi;
const DOMAIN_POSITIVE = /\b(fast (shipping|delivery)|arrived (early|quickly|fast)|quick delivery|sturdy|well made|as described|exactly as pictured|highly recommend|works perfectly)\b/gi;

/** Product names the general lexicon reads as feelings ("mug" is a robbery there); read as a neutral noun instead. */
const PRODUCT_NOUNS = /\b(mug|mugs|mugged)\b/gi;

const ASPECTS: Record<string, RegExp> = {
  shipping: /\b(ship(ping|ped)?|deliver(y|ed)|arriv(e|ed|al)|courier|package|parcel|tracking|late|took \d+|weeks?)\b/i,
  quality: /\b(quality|broke|broken|defective|sturdy|flimsy|durable|well made|cheaply made|material|works|stopped working|damaged)\b/i,
  price: /\b(price[sd]?|expensive|cheap(er)?|value|worth|money|cost|overpriced|bargain)\b/i,
  size: /\b(size|fit(s)?|too (small|big|large|tight|loose)|smaller|larger)\b/i,
  service: /\b(seller|support|service|refund|return(ed)?|respon(se|ded|sive)|answer(ed)?|contact(ed)?|helpful)\b/i,
  packaging: /\b(packag(ing|ed)|box|wrapp(ing|ed))\b/i,
  accuracy: /\b(as described|not as described|picture|pictured|photo|different|looks? like)\b/i,
};

export function label(score: number): SentimentLabel {
  return score > 0.1 ? 'positive' : score < -0.1 ? 'negative' : 'neutral';
}

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const clamp = (value: number) => Math.max(-1, Math.min(1, value));

function sentenceScore(text: string, base: number): number {
  const negative = text.match(DOMAIN_NEGATIVE)?.length ?? 0;
  const positive = text.match(DOMAIN_POSITIVE)?.length ?? 0;
  return clamp(base - 0.5 * negative + 0.4 * positive);
}

/** Review sentiment: wink's lexicon per sentence plus a review vocabulary, blended with the star rating when there is one. */
export function sentiment(text: string, rating: number | null): { score: number; label: SentimentLabel; aspects: AspectSentiment[] } {
  const nlp = engine();
  const its = nlp.its;
  const doc = nlp.readDoc(text.replace(PRODUCT_NOUNS, 'item'));
  const sentences = doc.sentences().out() as string[];
  const bases = doc.sentences().out(its.sentiment) as unknown as number[];
  const scores = sentences.map((sentence, i) => sentenceScore(sentence, bases[i] ?? 0));
  // The strongest sentence counts double: a review saying "arrived broken" is not rescued by "nice box".
  const strongest = scores.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
  let score = scores.length ? (scores.reduce((a, b) => a + b, 0) + strongest) / (scores.length + 1) : 0;
  if (rating !== null) score = 0.6 * score + 0.4 * ((rating - 3) / 2);
  const aspects: AspectSentiment[] = [];
  for (const [aspect, pattern] of Object.entries(ASPECTS)) {
    const mentioned = scores.filter((_, i) => pattern.test(sentences[i]));
    if (mentioned.length === 0) continue;
    const aspectScore = round(mentioned.reduce((a, b) => a + b, 0) / mentioned.length);
    aspects.push({ aspect, score: aspectScore, label: label(aspectScore) });
  }
  score = round(clamp(score));
  return { score, label: label(score), aspects };
}

export interface TextStats {
  wordCount: number;
  sentences: string[];
  /** Flesch reading ease; null for an empty text. */
  readability: number | null;
  keywords: string[];
}

/** Words, sentences, readability and the most frequent content words (ties in order of appearance). */
export function textStats(text: string, keywordCount = 8): TextStats {
  const nlp = engine();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const stats = doc.out(its.readabilityStats) as unknown as { fres: number; numOfWords: number };
  const words = doc.tokens().filter((t) => t.out(its.type) === 'word' && !t.out(its.stopWordFlag) && ['NOUN', 'PROPN', 'ADJ'].includes(t.out(its.pos) as string)).out(its.normal) as string[];
  const counts = new Map<string, number>();
  for (const word of words) if (word.length > 2) counts.set(word, (counts.get(word) ?? 0) + 1);
  const keywords = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, keywordCount).map(([word]) => word);
  return { wordCount: stats.numOfWords, sentences: doc.sentences().out() as string[], readability: stats.numOfWords > 0 ? stats.fres : null, keywords };
}

/** Key attributes neither the attributes nor the text mention. */
export function missingAttributes(text: string, attributes: Record<string, unknown>): string[] {
  const keys = Object.keys(attributes).map((key) => key.toLowerCase());
  return Object.entries(KEY_ATTRIBUTES)
    .filter(([name, pattern]) => !keys.some((key) => key.includes(name) || (name === 'colour' && key.includes('color'))) && !pattern.test(text))
    .map(([name]) => name);
}
