import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { pageOf, type Page, type PageQuery } from '../core/http/paging.js';
import { ListingPublisher } from '../marketplaces/listing-publisher.service.js';
import { MarketplacesService } from '../marketplaces/marketplaces.service.js';
import { SupplierCatalogService, type CatalogText } from '../suppliers/supplier-catalog.service.js';
import { GeneratedListing, type DraftState } from './entities/generated-listing.entity.js';
import { AiProviders } from './providers/ai-providers.js';
import { withinLimits } from './providers/listing-text.js';

const PAGE = 200;

/**
 * Listing drafts: written by the AI provider within the marketplace's limits and in the store's
 * tone, then approved or rejected by a person, then published through the marketplace's
 * connector. One draft per marketplace, product and version of the product's text.
 */
@Injectable()
export class ListingDraftsService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectRepository(GeneratedListing) private readonly drafts: Repository<GeneratedListing>,
    private readonly catalog: SupplierCatalogService,
    private readonly marketplaces: MarketplacesService,
    private readonly publisher: ListingPublisher,
    private readonly ai: AiProviders,
  ) {}

  /**
   * Drafts for `productIds`, or else for live products the marketplace does not sell yet,
   * skipping those with a draft for their current text.
   */
  async generateMany(filter: { marketplaceId: number; productIds?: string[]; limit: number; provider?: string }) {
    await this.marketplaces.findActive(filter.marketplaceId);
    const limits = await this.publisher.limits(filter.marketplaceId);
    const result = { marketplace_id: filter.marketplaceId, generated: 0, skipped_existing: 0, skipped_listed: 0, tokens: 0, cost: 0, draft_ids: [] as string[] };
    let after = '0';
    while (result.generated < filter.limit) {
      const page = await this.catalog.productsForText({ productIds: filter.productIds, afterId: after, limit: PAGE });
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      const listed = filter.productIds ? new Set<string>() : await this.marketplaces.listedProductIds(filter.marketplaceId, page.map((p) => p.id));
      const drafted = await this.draftedVersions(filter.marketplaceId, page);
      for (const product of page) {
        if (result.generated >= filter.limit) break;
        if (listed.has(product.id)) {
          result.skipped_listed++;
          continue;
        }
        if (drafted.has(`${product.id}:${product.content_hash}`)) {
          result.skipped_existing++;
          continue;
        }
        const draft = await this.write(filter.marketplaceId, product, limits, filter.provider);
        result.generated++;
        result.tokens += draft.tokens;
        result.cost += draft.cost;
        result.draft_ids.push(draft.id);
      }
    }
    result.cost = Math.round(result.cost * 1e6) / 1e6;
    return result;
  }

  async generateOne(marketplaceId: number, productId: string, provider?: string) {
    const [product] = await this.catalog.productsForText({ productIds: [productId], afterId: '0', limit: 1 });
    if (!product) throw new NotFoundError(`Supplier product ${productId} does not exist or is discontinued.`);
    await this.marketplaces.findActive(marketplaceId);
    const draft = await this.write(marketplaceId, product, await this.publisher.limits(marketplaceId), provider);
    return { draft: await this.get(draft.id), metered: draft };
  }

  async list(query: PageQuery & { marketplace_id?: number; state?: DraftState }): Promise<Page<GeneratedListing>> {
    const qb = this.drafts.createQueryBuilder('d').orderBy('d.id', 'DESC').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.marketplace_id !== undefined) qb.andWhere('d.marketplace_id = :m', { m: query.marketplace_id });
    if (query.state) qb.andWhere('d.state = :s', { s: query.state });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async get(id: string): Promise<GeneratedListing> {
    const draft = await this.drafts.findOneBy({ id });
    if (!draft) throw new NotFoundError(`Listing draft ${id} does not exist; "GET /api/ai/drafts" lists them.`);
    return draft;
  }

  async approve(id: string): Promise<GeneratedListing> {
    return this.move(id, ['draft', 'rejected'], 'approved');
  }

  async reject(id: string): Promise<GeneratedListing> {
    return this.move(id, ['draft', 'approved'], 'rejected');
  }

  /** Publishes an approved draft (again, after an edit on the marketplace, is fine: it updates). */
  async publish(id: string): Promise<GeneratedListing> {
    const draft = await this.get(id);
    if (draft.state !== 'approved' && draft.state !== 'published') throw new UsageError(`Draft ${id} is ${draft.state}; approve it before publishing (POST /api/ai/drafts/${id}/approve).`);
    const [product] = await this.catalog.productsForText({ productIds: [draft.supplierProductId], afterId: '0', limit: 1 });
    if (!product) throw new UsageError(`Draft ${id}'s product is discontinued; it cannot be published.`);
    const outcome = await this.publisher.publish({
      marketplaceId: draft.marketplaceId,
      supplierProductId: draft.supplierProductId,
      sku: product.sku,
      cost: product.cost,
      title: draft.title,
      description: draft.description,
      bulletPoints: draft.bulletPoints,
      tags: draft.tags,
    });
    await this.drafts.update(id, { state: 'published', externalProductId: outcome.externalProductId, publishedAt: new Date() });
    return this.get(id);
  }

  private async move(id: string, from: DraftState[], to: DraftState): Promise<GeneratedListing> {
    const draft = await this.get(id);
    if (!from.includes(draft.state)) throw new UsageError(`Draft ${id} is ${draft.state}; only a ${from.join(' or ')} draft can become ${to}.`);
    await this.drafts.update(id, { state: to });
    return this.get(id);
  }

  private async write(marketplaceId: number, product: CatalogText, limits: { titleMaxLength: number; maxTags: number }, provider?: string) {
    const result = await this.ai.call(
      'generate_listing',
      (p) => p.writeListing({ product: { title: product.title, description: product.description, attributes: product.attributes }, tone: this.config.ai.storeTone, limits }),
      provider,
    );
    const text = withinLimits(result.value, limits);
    await this.drafts
      .createQueryBuilder()
      .insert()
      .values({ marketplaceId, supplierProductId: product.id, contentHash: product.content_hash, title: text.title, description: text.description, bulletPoints: text.bulletPoints, tags: text.tags, state: 'draft', provider: result.provider, model: result.model })
      .orUpdate(['title', 'description', 'bullet_points', 'tags', 'provider', 'model', 'updated_at'], ['marketplace_id', 'supplier_product_id', 'content_hash'])
      .execute();
    const saved = await this.drafts.findOneByOrFail({ marketplaceId, supplierProductId: product.id, contentHash: product.content_hash });
    return { id: saved.id, tokens: result.tokensIn + result.tokensOut, cost: result.cost, provider: result.provider, model: result.model, tokensIn: result.tokensIn, tokensOut: result.tokensOut, latencyMs: result.latencyMs };
  }

  private async draftedVersions(marketplaceId: number, products: CatalogText[]): Promise<Set<string>> {
    const rows = await this.drafts.createQueryBuilder('d').select(['d.supplierProductId', 'd.contentHash']).where('d.marketplace_id = :m AND d.supplier_product_id IN (:...ids)', { m: marketplaceId, ids: products.map((p) => p.id) }).getMany();
    return new Set(rows.map((row) => `${row.supplierProductId}:${row.contentHash}`));
  }
}
