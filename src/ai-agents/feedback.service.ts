import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { pageOf, type Page } from '../core/http/paging.js';
import { SupplierCatalogService } from '../suppliers/supplier-catalog.service.js';
import { CustomerFeedback, ProductFeedbackSummary } from './entities/customer-feedback.entity.js';
import type { FeedbackItemDto, FeedbackQuery } from './feedback.dto.js';
import { AiProviders } from './providers/ai-providers.js';

const PAGE = 200;

/** Customer feedback: taken in over the API, scored for sentiment and aspects, rolled up per product. */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(CustomerFeedback) private readonly feedback: Repository<CustomerFeedback>,
    @InjectRepository(ProductFeedbackSummary) private readonly summaries: Repository<ProductFeedbackSummary>,
    private readonly catalog: SupplierCatalogService,
    private readonly ai: AiProviders,
  ) {}

  async ingest(items: FeedbackItemDto[]): Promise<{ received: number; ids: string[]; unknown_skus: string[] }> {
    const skus = [...new Set(items.map((i) => i.sku).filter((sku): sku is string => Boolean(sku)))];
    const matches = await this.catalog.matchSkus(skus);
    const rows = items.map((item) => ({
      text: item.text,
      rating: item.rating ?? null,
      marketplaceId: item.marketplace_id ?? null,
      orderId: item.order_id !== undefined ? String(item.order_id) : null,
      supplierProductId: item.product_id !== undefined ? String(item.product_id) : item.sku ? (matches.get(item.sku)?.id ?? null) : null,
      receivedAt: item.received_at ?? new Date(),
    }));
    const saved = await this.feedback.save(rows.map((row) => this.feedback.create(row)));
    return { received: saved.length, ids: saved.map((s) => s.id), unknown_skus: skus.filter((sku) => !matches.has(sku)) };
  }

  /** Scores feedback not yet analysed (received since `since`, for one marketplace if given), then refreshes the products' roll-ups. */
  async analyzePending(filter: { since?: Date; marketplaceId?: number; provider?: string }) {
    const result = { analyzed: 0, positive: 0, neutral: 0, negative: 0, products_updated: 0, tokens: 0, cost: 0 };
    const products = new Set<string>();
    for (;;) {
      const qb = this.feedback.createQueryBuilder('f').where('f.analyzed_at IS NULL').orderBy('f.id').take(PAGE);
      if (filter.since) qb.andWhere('f.received_at >= :since', { since: filter.since });
      if (filter.marketplaceId !== undefined) qb.andWhere('f.marketplace_id = :m', { m: filter.marketplaceId });
      const page = await qb.getMany();
      if (page.length === 0) break;
      for (const item of page) {
        const scored = await this.ai.call('analyze_feedback', (p) => p.analyzeFeedback(item.text, item.rating), filter.provider);
        await this.feedback.update(item.id, {
          sentimentScore: scored.value.score.toFixed(3),
          sentimentLabel: scored.value.label,
          aspects: scored.value.aspects,
          provider: scored.provider,
          analyzedAt: new Date(),
        });
        result.analyzed++;
        result[scored.value.label]++;
        result.tokens += scored.tokensIn + scored.tokensOut;
        result.cost += scored.cost;
        if (item.supplierProductId) products.add(item.supplierProductId);
      }
    }
    result.products_updated = await this.rollUp([...products]);
    result.cost = Math.round(result.cost * 1e6) / 1e6;
    return result;
  }

  async list(query: FeedbackQuery): Promise<Page<CustomerFeedback>> {
    const qb = this.feedback.createQueryBuilder('f').orderBy('f.received_at', 'DESC').addOrderBy('f.id', 'DESC').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.product_id !== undefined) qb.andWhere('f.supplier_product_id = :p', { p: query.product_id });
    if (query.label) qb.andWhere('f.sentiment_label = :l', { l: query.label });
    if (query.analyzed !== undefined) qb.andWhere(query.analyzed ? 'f.analyzed_at IS NOT NULL' : 'f.analyzed_at IS NULL');
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async summary(productId: string): Promise<ProductFeedbackSummary | null> {
    return this.summaries.findOneBy({ supplierProductId: productId });
  }

  /** For the chat agent: how feedback leans, and the aspects most complained about. */
  async overview() {
    const [counts] = (await this.db.query(
      "SELECT count(*)::int AS analysed, count(*) FILTER (WHERE sentiment_label = 'positive')::int AS positive, count(*) FILTER (WHERE sentiment_label = 'negative')::int AS negative FROM customer_feedback WHERE analyzed_at IS NOT NULL",
    )) as { analysed: number; positive: number; negative: number }[];
    const complaints = (await this.db.query(
      "SELECT a->>'aspect' AS aspect, count(*)::int AS n FROM customer_feedback, jsonb_array_elements(aspects) a WHERE a->>'label' = 'negative' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3",
    )) as { aspect: string }[];
    return { ...counts, topComplaints: complaints.map((c) => c.aspect) };
  }

  private async rollUp(productIds: string[]): Promise<number> {
    if (productIds.length === 0) return 0;
    const [, count] = (await this.db.query(
      `WITH aspects AS (
         SELECT f.supplier_product_id AS id, a->>'aspect' AS aspect, count(*) AS mentions, round(avg((a->>'score')::numeric), 3) AS score
           FROM customer_feedback f, jsonb_array_elements(f.aspects) a
          WHERE f.supplier_product_id = ANY($1::bigint[]) AND f.analyzed_at IS NOT NULL GROUP BY 1, 2)
       INSERT INTO product_feedback_summaries AS s (supplier_product_id, reviews, average_score, average_rating, positive, neutral, negative, aspects, updated_at)
       SELECT f.supplier_product_id, count(*), round(avg(f.sentiment_score), 3), round(avg(f.rating), 2),
              count(*) FILTER (WHERE f.sentiment_label = 'positive'), count(*) FILTER (WHERE f.sentiment_label = 'neutral'), count(*) FILTER (WHERE f.sentiment_label = 'negative'),
              coalesce((SELECT jsonb_object_agg(a.aspect, jsonb_build_object('mentions', a.mentions, 'score', a.score)) FROM aspects a WHERE a.id = f.supplier_product_id), '{}'), now()
         FROM customer_feedback f
        WHERE f.supplier_product_id = ANY($1::bigint[]) AND f.analyzed_at IS NOT NULL
        GROUP BY f.supplier_product_id
       ON CONFLICT (supplier_product_id) DO UPDATE SET
         reviews = EXCLUDED.reviews, average_score = EXCLUDED.average_score, average_rating = EXCLUDED.average_rating, positive = EXCLUDED.positive,
         neutral = EXCLUDED.neutral, negative = EXCLUDED.negative, aspects = EXCLUDED.aspects, updated_at = EXCLUDED.updated_at`,
      [productIds],
    )) as [unknown, number];
    return count ?? productIds.length;
  }
}
