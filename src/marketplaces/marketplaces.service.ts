import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { CredentialsCipher } from '../core/connectors/credentials-cipher.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { pageOf, type Page } from '../core/http/paging.js';
import { SupplierCatalogService } from '../suppliers/supplier-catalog.service.js';
import { Listing } from './entities/listing.entity.js';
import { Marketplace } from './entities/marketplace.entity.js';
import { Order } from './entities/order.entity.js';
import type { CreateMarketplaceDto, ListingQuery, OrderQuery, UpdateMarketplaceDto } from './marketplace.dto.js';
import { checkMarketplaceCredentials, parseMarketplaceSettings } from './marketplace-settings.js';

export type MarketplaceView = Omit<Marketplace, 'credentials'> & { hasCredentials: boolean };

/** Marketplaces: create, read, update, deactivate; their listings and orders. */
@Injectable()
export class MarketplacesService implements OnModuleInit {
  constructor(
    @InjectRepository(Marketplace) private readonly marketplaces: Repository<Marketplace>,
    @InjectRepository(Listing) private readonly listings: Repository<Listing>,
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: CredentialsCipher,
    private readonly catalog: SupplierCatalogService,
  ) {}

  /** Supplier cleanup keeps the products a listing or an order line points at. */
  onModuleInit() {
    this.catalog.registerReferences(async (ids) => {
      const rows = (await this.db.query(
        `SELECT supplier_product_id AS id FROM marketplace_listings WHERE supplier_product_id = ANY($1::bigint[])
         UNION SELECT supplier_product_id FROM marketplace_order_lines WHERE supplier_product_id = ANY($1::bigint[])`,
        [ids],
      )) as { id: string }[];
      return new Set(rows.map((row) => row.id));
    });
  }

  async create(dto: CreateMarketplaceDto): Promise<MarketplaceView> {
    const settings = parseMarketplaceSettings(dto.settings);
    const credentials = checkMarketplaceCredentials(dto.platform, dto.credentials);
    await this.assertNameFree(dto.name);
    const saved = await this.marketplaces.save(
      this.marketplaces.create({ name: dto.name, platform: dto.platform, settings: { ...settings }, credentials: this.cipher.encrypt(credentials), isActive: dto.is_active ?? true }),
    );
    return this.get(saved.id);
  }

  async update(id: number, dto: UpdateMarketplaceDto): Promise<MarketplaceView> {
    const marketplace = await this.find(id);
    if (dto.name !== undefined && dto.name !== marketplace.name) await this.assertNameFree(dto.name);
    const changes: Partial<Marketplace> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.settings !== undefined) changes.settings = { ...parseMarketplaceSettings(dto.settings) };
    if (dto.credentials !== undefined) changes.credentials = this.cipher.encrypt(checkMarketplaceCredentials(marketplace.platform, dto.credentials));
    if (dto.is_active !== undefined) changes.isActive = dto.is_active;
    if (Object.keys(changes).length > 0) await this.marketplaces.save({ ...changes, id });
    return this.get(id);
  }

  async deactivate(id: number): Promise<MarketplaceView> {
    await this.find(id);
    await this.marketplaces.update(id, { isActive: false });
    return this.get(id);
  }

  async list(): Promise<MarketplaceView[]> {
    return (await this.marketplaces.createQueryBuilder('m').addSelect('m.credentials').orderBy('m.id').getMany()).map(view);
  }

  async get(id: number): Promise<MarketplaceView> {
    const marketplace = await this.marketplaces.createQueryBuilder('m').addSelect('m.credentials').where('m.id = :id', { id }).getOne();
    if (!marketplace) throw notFound(id);
    return view(marketplace);
  }

  async find(id: number): Promise<Marketplace> {
    const marketplace = await this.marketplaces.findOneBy({ id });
    if (!marketplace) throw notFound(id);
    return marketplace;
  }

  /** An active marketplace, or a UsageError saying how to activate it. */
  async findActive(id: number): Promise<Marketplace> {
    const marketplace = await this.find(id);
    if (!marketplace.isActive) throw new UsageError(`Marketplace ${id} ("${marketplace.name}") is inactive; activate it (PATCH /api/marketplaces/${id} {"is_active": true}) first.`);
    return marketplace;
  }

  async encryptedCredentials(id: number): Promise<string | null> {
    const row = await this.marketplaces.createQueryBuilder('m').select('m.credentials', 'credentials').where('m.id = :id', { id }).getRawOne<{ credentials: string | null }>();
    return row?.credentials ?? null;
  }

  async active(): Promise<Marketplace[]> {
    return this.marketplaces.find({ where: { isActive: true }, order: { id: 'ASC' } });
  }

  async listListings(query: ListingQuery): Promise<Page<Listing>> {
    const qb = this.listings.createQueryBuilder('l').orderBy('l.id').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.marketplace_id !== undefined) qb.andWhere('l.marketplace_id = :m', { m: query.marketplace_id });
    if (query.linked !== undefined) qb.andWhere(query.linked ? 'l.supplier_product_id IS NOT NULL' : 'l.supplier_product_id IS NULL');
    if (query.sku) qb.andWhere('l.sku = :sku', { sku: query.sku });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async listOrders(query: OrderQuery): Promise<Page<Order>> {
    const qb = this.orders.createQueryBuilder('o').orderBy('o.placed_at', 'DESC').addOrderBy('o.id', 'DESC').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.marketplace_id !== undefined) qb.andWhere('o.marketplace_id = :m', { m: query.marketplace_id });
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.placed_after) qb.andWhere('o.placed_at >= :after', { after: query.placed_after });
    if (query.placed_before) qb.andWhere('o.placed_at < :before', { before: query.placed_before });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async order(id: string): Promise<Order> {
    const order = await this.orders.findOne({ where: { id }, relations: { lines: true } });
    if (!order) throw new NotFoundError(`Order ${id} does not exist; "GET /api/orders" lists them.`);
    return order;
  }

  /** Of `productIds`, those a live listing on the marketplace already sells. */
  async listedProductIds(marketplaceId: number, productIds: string[]): Promise<Set<string>> {
    const rows = (await this.db.query(
      "SELECT DISTINCT supplier_product_id AS id FROM marketplace_listings WHERE marketplace_id = $1 AND status <> 'removed' AND supplier_product_id = ANY($2::bigint[])",
      [marketplaceId, productIds],
    )) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  /** The product's listing on the marketplace, if it has one that is not removed. */
  async listingFor(marketplaceId: number, productId: string): Promise<Listing | null> {
    return this.listings.createQueryBuilder('l').where("l.marketplace_id = :m AND l.supplier_product_id = :p AND l.status <> 'removed'", { m: marketplaceId, p: productId }).orderBy('l.id').getOne();
  }

  /** Orders of the last `days` days, for the chat agent: how many, revenue per currency, best-selling SKUs. */
  async orderSummary(days = 7) {
    const since = new Date(Date.now() - days * 86_400_000);
    const totals = (await this.db.query(
      "SELECT currency, count(*)::int AS orders, sum(total)::text AS revenue FROM marketplace_orders WHERE placed_at >= $1 AND status NOT IN ('cancelled', 'failed') GROUP BY currency ORDER BY currency",
      [since],
    )) as { currency: string; orders: number; revenue: string }[];
    const topSkus = (await this.db.query(
      `SELECT l.sku, sum(l.quantity)::int AS units FROM marketplace_order_lines l JOIN marketplace_orders o ON o.id = l.order_id
        WHERE o.placed_at >= $1 AND o.status NOT IN ('cancelled', 'failed') AND l.sku IS NOT NULL GROUP BY l.sku ORDER BY units DESC, l.sku LIMIT 5`,
      [since],
    )) as { sku: string; units: number }[];
    return { days, count: totals.reduce((sum, t) => sum + t.orders, 0), revenue: Object.fromEntries(totals.map((t) => [t.currency, t.revenue])), topSkus };
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.marketplaces.existsBy({ name })) throw new UsageError(`A marketplace named "${name}" already exists; choose another name or update that one.`);
  }
}

function notFound(id: number): NotFoundError {
  return new NotFoundError(`Marketplace ${id} does not exist; "GET /api/marketplaces" lists them.`);
}

function view(marketplace: Marketplace): MarketplaceView {
  const { credentials, ...rest } = marketplace;
  return { ...rest, hasCredentials: credentials !== null && credentials !== undefined };
}
