import type { AiProviderName } from '../../config/app-config.js';
import type { AspectSentiment, SentimentLabel } from '../entities/customer-feedback.entity.js';

export interface ProductText {
  title: string;
  description: string;
  attributes: Record<string, unknown>;
}

export interface DescriptionAnalysis {
  /** 0–100: length, readability, key attributes covered, title. */
  score: number;
  wordCount: number;
  readability: number | null;
  missingAttributes: string[];
  keywords: string[];
  suggestions: string[];
}

export interface ListingLimits {
  titleMaxLength: number;
  maxTags: number;
}

export interface ListingRequest {
  product: ProductText;
  tone: string;
  limits: ListingLimits;
}

export interface ListingText {
  title: string;
  description: string;
  bulletPoints: string[];
  tags: string[];
}

export interface FeedbackAnalysis {
  /** -1 (very negative) to 1 (very positive). */
  score: number;
  label: SentimentLabel;
  aspects: AspectSentiment[];
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** What the chat agent knows of the store, gathered fresh for each reply. */
export interface StoreSummary {
  products: { total: number; live: number; outOfStock: number; lowStock: { sku: string; title: string; stock: number }[] };
  orders: { days: number; count: number; revenue: Record<string, string>; topSkus: { sku: string; units: number }[] };
  feedback: { analysed: number; positive: number; negative: number; topComplaints: string[] };
}

/** A provider's answer and what it cost in tokens (0 for the embedded provider). */
export interface AiResult<T> {
  value: T;
  tokensIn: number;
  tokensOut: number;
}

/** One interface for every AI backend; the tasks never know which one answers. */
export interface AiProvider {
  readonly name: AiProviderName;
  readonly model: string;
  analyzeDescription(product: ProductText): Promise<AiResult<DescriptionAnalysis>>;
  writeListing(request: ListingRequest): Promise<AiResult<ListingText>>;
  analyzeFeedback(text: string, rating: number | null): Promise<AiResult<FeedbackAnalysis>>;
  reply(history: ChatTurn[], store: StoreSummary): Promise<AiResult<string>>;
}
