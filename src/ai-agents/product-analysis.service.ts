import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { pageOf, type Page, type PageQuery } from '../core/http/paging.js';
import { ProductAnalysis } from './entities/product-analysis.entity.js';
import { NotFoundError } from '../core/errors.js';
import { SupplierCatalogService, type CatalogText } from '../suppliers/supplier-catalog.service.js';
import { AiProviders, type Metered } from './providers/ai-providers.js';
import type { DescriptionAnalysis } from './providers/ai-provider.js';

const PAGE = 200;

export interface AnalysisRun {
  analyzed: number;
  skipped_unchanged: number;
  average_score: number | null;
  tokens: number;
  cost: number;
  weakest: { product_id: string; sku: string; score: number; missing_attributes: string[] }[];
}

/** Scores product descriptions, once per version of a product's text (its content hash). */
@Injectable()
export class ProductAnalysisService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ProductAnalysis) private readonly analyses: Repository<ProductAnalysis>,
    private readonly catalog: SupplierCatalogService,
    private readonly ai: AiProviders,
  ) {}

  async analyzeMany(filter: { supplierId?: number; productIds?: string[]; limit: number; provider?: string }): Promise<AnalysisRun> {
    const run: AnalysisRun = { analyzed: 0, skipped_unchanged: 0, average_score: null, tokens: 0, cost: 0, weakest: [] };
    const scores: { product: CatalogText; analysis: DescriptionAnalysis }[] = [];
    let after = '0';
    while (run.analyzed < filter.limit) {
      const page = await this.catalog.productsForText({ supplierId: filter.supplierId, productIds: filter.productIds, afterId: after, limit: PAGE });
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      const done = await this.analysedVersions(page);
      for (const product of page) {
        if (done.has(`${product.id}:${product.content_hash}`)) {
          run.skipped_unchanged++;
          continue;
        }
        if (run.analyzed >= filter.limit) break;
        const result = await this.analyze(product, filter.provider);
        run.analyzed++;
        run.tokens += result.tokensIn + result.tokensOut;
        run.cost += result.cost;
        scores.push({ product, analysis: result.value });
      }
    }
    if (scores.length > 0) run.average_score = Math.round(scores.reduce((sum, s) => sum + s.analysis.score, 0) / scores.length);
    run.weakest = scores
      .sort((a, b) => a.analysis.score - b.analysis.score)
      .slice(0, 10)
      .map(({ product, analysis }) => ({ product_id: product.id, sku: product.sku, score: analysis.score, missing_attributes: analysis.missingAttributes }));
    run.cost = Math.round(run.cost * 1e6) / 1e6;
    return run;
  }

  /** Newest first; `max_score` finds the descriptions to fix. */
  async list(query: PageQuery & { product_id?: number; max_score?: number }): Promise<Page<ProductAnalysis>> {
    const qb = this.analyses.createQueryBuilder('a').orderBy('a.analyzed_at', 'DESC').addOrderBy('a.id', 'DESC').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.product_id !== undefined) qb.andWhere('a.supplier_product_id = :p', { p: query.product_id });
    if (query.max_score !== undefined) qb.andWhere('a.score <= :s', { s: query.max_score });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  /** One product's analysis for its current text: the stored one when the text has not changed. */
  async analyzeOne(productId: string, provider?: string): Promise<{ cached: boolean; analysis: DescriptionAnalysis; metered?: Metered<DescriptionAnalysis> }> {
    const [product] = await this.catalog.productsForText({ productIds: [productId], afterId: '0', limit: 1 });
    if (!product) throw new NotFoundError(`Supplier product ${productId} does not exist or is discontinued.`);
    const [stored] = (await this.db.query(
      `SELECT score, word_count AS "wordCount", readability::float AS readability, missing_attributes AS "missingAttributes", keywords, suggestions
         FROM product_analyses WHERE supplier_product_id = $1 AND content_hash = $2`,
      [product.id, product.content_hash],
    )) as DescriptionAnalysis[];
    if (stored) return { cached: true, analysis: stored };
    const metered = await this.analyze(product, provider);
    return { cached: false, analysis: metered.value, metered };
  }

  private async analyze(product: CatalogText, provider?: string): Promise<Metered<DescriptionAnalysis>> {
    const result = await this.ai.call('analyze_description', (p) => p.analyzeDescription({ title: product.title, description: product.description, attributes: product.attributes }), provider);
    const a = result.value;
    await this.db.query(
      `INSERT INTO product_analyses (supplier_product_id, content_hash, provider, score, word_count, readability, missing_attributes, keywords, suggestions)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (supplier_product_id, content_hash) DO NOTHING`,
      [product.id, product.content_hash, result.provider, a.score, a.wordCount, a.readability, JSON.stringify(a.missingAttributes), JSON.stringify(a.keywords), JSON.stringify(a.suggestions)],
    );
    return result;
  }

  private async analysedVersions(products: CatalogText[]): Promise<Set<string>> {
    const rows = (await this.db.query(
      'SELECT supplier_product_id AS id, content_hash FROM product_analyses WHERE supplier_product_id = ANY($1::bigint[])',
      [products.map((p) => p.id)],
    )) as { id: string; content_hash: string }[];
    return new Set(rows.map((row) => `${row.id}:${row.content_hash}`));
  }
}
