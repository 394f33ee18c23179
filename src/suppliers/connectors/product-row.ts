import { createHash } from 'node:crypto';
import type { ColumnMapping } from '../supplier-settings.js';

/** One record as a connector read it, or why it could not be read. `line` is the row's position in the feed (1 = first record). */
export type RawRow = { line: number; record: Record<string, unknown> } | { line: number; error: string };

export interface ProductInput {
  sku: string;
  title: string;
  description: string;
  images: string[];
  /** Two decimals, as a string, so cents survive. */
  cost: string;
  currency: string;
  stock: number;
  attributes: Record<string, unknown>;
}

export interface InventoryInput {
  sku: string;
  stock?: number;
  cost?: string;
}

type Field = keyof Required<ColumnMapping>;

/**
 * Turns a supplier's records into products using its column mapping. A row it cannot use comes
 * back as a string saying why, so the sync skips it, counts it and carries on.
 */
export class ProductRowMapper {
  private readonly columns: Record<Field, string>;

  constructor(
    mapping: ColumnMapping | undefined,
    private readonly attributeColumns: string[] = [],
    private readonly defaultCurrency = 'USD',
  ) {
    const fields: Field[] = ['sku', 'title', 'description', 'images', 'cost', 'currency', 'stock', 'attributes'];
    this.columns = Object.fromEntries(fields.map((field) => [field, mapping?.[field] ?? field])) as Record<Field, string>;
  }

  product(record: Record<string, unknown>): ProductInput | string {
    const sku = this.sku(record);
    if (typeof sku !== 'object') return sku;
    const title = text(this.get(record, 'title'));
    if (!title) return `no title (column "${this.columns.title}")`;
    const cost = money(this.get(record, 'cost'));
    if (cost === undefined) return `cost ${JSON.stringify(this.get(record, 'cost') ?? null)} is not a non-negative amount (column "${this.columns.cost}")`;
    const stock = count(this.get(record, 'stock'));
    if (stock === undefined) return `stock ${JSON.stringify(this.get(record, 'stock') ?? null)} is not a whole number of 0 or more (column "${this.columns.stock}")`;
    const currency = (text(this.get(record, 'currency')) || this.defaultCurrency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) return `currency ${JSON.stringify(currency)} is not an ISO 4217 code`;
    const attributes = this.attributes(record);
    if (typeof attributes === 'string') return attributes;
    return { sku: sku.value, title, description: text(this.get(record, 'description')), images: images(this.get(record, 'images')), cost, currency, stock, attributes };
  }

  /** Just what an inventory update needs: SKU, and stock and/or cost. */
  inventory(record: Record<string, unknown>): InventoryInput | string {
    const sku = this.sku(record);
    if (typeof sku !== 'object') return sku;
    const rawStock = this.get(record, 'stock');
    const rawCost = this.get(record, 'cost');
    const stock = blank(rawStock) ? undefined : count(rawStock);
    const cost = blank(rawCost) ? undefined : money(rawCost);
    if (!blank(rawStock) && stock === undefined) return `stock ${JSON.stringify(rawStock)} is not a whole number of 0 or more`;
    if (!blank(rawCost) && cost === undefined) return `cost ${JSON.stringify(rawCost)} is not a non-negative amount`;
    if (stock === undefined && cost === undefined) return 'neither stock nor cost given';
    return { sku: sku.value, stock, cost };
  }

  private sku(record: Record<string, unknown>): { value: string } | string {
    const sku = text(this.get(record, 'sku'));
    if (!sku) return `no SKU (column "${this.columns.sku}")`;
    if (sku.length > 255) return 'SKU longer than 255 characters';
    return { value: sku };
  }

  private attributes(record: Record<string, unknown>): Record<string, unknown> | string {
    let attributes: Record<string, unknown> = {};
    const raw = this.get(record, 'attributes');
    if (typeof raw === 'string' && raw.trim()) {
      try {
        attributes = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return 'attributes are not a JSON object';
      }
    } else if (raw && typeof raw === 'object') {
      attributes = raw as Record<string, unknown>;
    }
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return 'attributes are not a JSON object';
    for (const column of this.attributeColumns) {
      const value = lookup(record, column);
      if (!blank(value)) attributes = { ...attributes, [column]: value };
    }
    return attributes;
  }

  private get(record: Record<string, unknown>, field: Field): unknown {
    return lookup(record, this.columns[field]);
  }
}

/** Hash of the fields that change rarely; a row whose hash, stock and cost match is skipped. */
export function contentHash(product: ProductInput): string {
  return createHash('md5')
    .update(JSON.stringify([product.title, product.description, product.images, product.currency, product.attributes]))
    .digest('base64url');
}

/** Reads `a.b.c` paths in nested records (JSON feeds and APIs); a flat key with dots wins. */
function lookup(record: Record<string, unknown>, path: string): unknown {
  if (path in record || !path.includes('.')) return record[path];
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

function money(value: unknown): string | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number) || number < 0 || number >= 1e10) return undefined;
  return number.toFixed(2);
}

function count(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(number) && number >= 0 && number <= 2_147_483_647 ? number : undefined;
}

function images(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => text(typeof item === 'object' && item ? (item as { src?: unknown }).src : item)).filter(Boolean);
  const raw = text(value);
  return raw ? raw.split(/[|\s,]+/).filter(Boolean) : [];
}
