import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { CredentialsCipher } from '../core/connectors/credentials-cipher.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { pageOf, type Page } from '../core/http/paging.js';
import { Supplier } from './entities/supplier.entity.js';
import { SupplierProduct } from './entities/supplier-product.entity.js';
import { SupplierSyncRun } from './entities/supplier-sync-run.entity.js';
import type { CreateSupplierDto, ProductQuery, UpdateSupplierDto } from './supplier.dto.js';
import { parseSupplierSettings } from './supplier-settings.js';

/** A supplier as the API shows it: everything but its credentials, which are write-only. */
export type SupplierView = Omit<Supplier, 'credentials'> & { hasCredentials: boolean };

/** Suppliers: create, read, update, deactivate; their products and sync runs. */
@Injectable()
export class SuppliersService {
  constructor(
    @InjectRepository(Supplier) private readonly suppliers: Repository<Supplier>,
    @InjectRepository(SupplierProduct) private readonly products: Repository<SupplierProduct>,
    @InjectRepository(SupplierSyncRun) private readonly runs: Repository<SupplierSyncRun>,
    private readonly cipher: CredentialsCipher,
  ) {}

  async create(dto: CreateSupplierDto): Promise<SupplierView> {
    const settings = parseSupplierSettings(dto.kind, dto.settings);
    await this.assertNameFree(dto.name);
    const saved = await this.suppliers.save(
      this.suppliers.create({
        name: dto.name,
        kind: dto.kind,
        settings: { ...settings },
        credentials: dto.credentials ? this.cipher.encrypt(checkCredentials(dto.credentials)) : null,
        isActive: dto.is_active ?? true,
      }),
    );
    return this.get(saved.id);
  }

  async update(id: number, dto: UpdateSupplierDto): Promise<SupplierView> {
    const supplier = await this.find(id);
    if (dto.name !== undefined && dto.name !== supplier.name) await this.assertNameFree(dto.name);
    const changes: Partial<Supplier> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.settings !== undefined) changes.settings = { ...parseSupplierSettings(supplier.kind, dto.settings) };
    if (dto.credentials !== undefined) changes.credentials = dto.credentials === null ? null : this.cipher.encrypt(checkCredentials(dto.credentials));
    if (dto.is_active !== undefined) changes.isActive = dto.is_active;
    if (Object.keys(changes).length > 0) await this.suppliers.save({ ...changes, id });
    return this.get(id);
  }

  /** Suppliers are deactivated, not deleted: their products stay linked to listings and orders. */
  async deactivate(id: number): Promise<SupplierView> {
    await this.find(id);
    await this.suppliers.update(id, { isActive: false });
    return this.get(id);
  }

  async list(): Promise<SupplierView[]> {
    const rows = await this.withCredentialFlag().orderBy('s.id').getMany();
    return rows.map(view);
  }

  async get(id: number): Promise<SupplierView> {
    const supplier = await this.withCredentialFlag().where('s.id = :id', { id }).getOne();
    if (!supplier) throw notFound(id);
    return view(supplier);
  }

  async find(id: number): Promise<Supplier> {
    const supplier = await this.suppliers.findOneBy({ id });
    if (!supplier) throw notFound(id);
    return supplier;
  }

  /** The stored (encrypted) credentials, for building a connector. */
  async encryptedCredentials(id: number): Promise<string | null> {
    const row = await this.suppliers.createQueryBuilder('s').select('s.credentials', 'credentials').where('s.id = :id', { id }).getRawOne<{ credentials: string | null }>();
    return row?.credentials ?? null;
  }

  async activeIds(): Promise<number[]> {
    const rows = await this.suppliers.find({ select: { id: true }, where: { isActive: true }, order: { id: 'ASC' } });
    return rows.map((row) => row.id);
  }

  async listProducts(query: ProductQuery): Promise<Page<SupplierProduct>> {
    const qb = this.products.createQueryBuilder('p').orderBy('p.id').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.supplier_id !== undefined) qb.andWhere('p.supplier_id = :supplierId', { supplierId: query.supplier_id });
    if (query.q) qb.andWhere(new Brackets((w) => w.where('p.sku ILIKE :q', { q: `%${query.q}%` }).orWhere('p.title ILIKE :q')));
    if (query.discontinued !== undefined) qb.andWhere(query.discontinued ? 'p.discontinued_at IS NOT NULL' : 'p.discontinued_at IS NULL');
    if (query.in_stock !== undefined) qb.andWhere(query.in_stock ? 'p.stock > 0' : 'p.stock = 0');
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async syncRuns(supplierId: number, limit = 20): Promise<SupplierSyncRun[]> {
    await this.find(supplierId);
    return this.runs.find({ where: { supplierId }, order: { startedAt: 'DESC' }, take: limit });
  }

  private withCredentialFlag() {
    return this.suppliers.createQueryBuilder('s').addSelect('s.credentials');
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.suppliers.existsBy({ name })) throw new UsageError(`A supplier named "${name}" already exists; choose another name or update that one.`);
  }
}

function notFound(id: number): NotFoundError {
  return new NotFoundError(`Supplier ${id} does not exist; "GET /api/suppliers" lists them.`);
}

function checkCredentials(credentials: Record<string, unknown>): Record<string, string> {
  const bad = Object.entries(credentials).filter(([, value]) => typeof value !== 'string').map(([key]) => key);
  if (bad.length > 0) throw new UsageError(`credentials values must be strings; fix ${bad.join(', ')}`);
  return credentials as Record<string, string>;
}

function view(supplier: Supplier): SupplierView {
  const { credentials: _hidden, ...rest } = supplier;
  return { ...rest, hasCredentials: supplier.credentials !== null && supplier.credentials !== undefined };
}
