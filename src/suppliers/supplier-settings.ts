import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Length, Matches, Max, Min, MinLength, ValidateNested, validateSync } from 'class-validator';
import { UsageError } from '../core/errors.js';
import { flattenValidationErrors } from '../core/validation.js';
import type { SupplierKind } from './entities/supplier.entity.js';

const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Which field of the supplier's records holds each product field; the defaults are the field names themselves. */
export class ColumnMapping {
  @IsOptional() @IsString() @MinLength(1) sku?: string;
  @IsOptional() @IsString() @MinLength(1) title?: string;
  @IsOptional() @IsString() @MinLength(1) description?: string;
  @IsOptional() @IsString() @MinLength(1) images?: string;
  @IsOptional() @IsString() @MinLength(1) cost?: string;
  @IsOptional() @IsString() @MinLength(1) currency?: string;
  @IsOptional() @IsString() @MinLength(1) stock?: string;
  @IsOptional() @IsString() @MinLength(1) attributes?: string;
}

class RecordSettings {
  @IsOptional() @ValidateNested() @Type(() => ColumnMapping)
  columns?: ColumnMapping;

  /** Extra fields copied into the product's attributes, e.g. ["colour", "size"]. */
  @IsOptional() @IsArray() @IsString({ each: true })
  attribute_columns?: string[];

  /** The currency of rows that do not name one. */
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency = 'USD';

  /** Overrides SUPPLIER_API_REQUESTS_PER_SECOND for this supplier. */
  @IsOptional() @IsNumber() @Min(0.01)
  requests_per_second?: number;
}

/** A CSV, JSON or JSON Lines product feed, fetched over HTTP(S) or read from SUPPLIER_FEED_DIR. */
export class FeedSupplierSettings extends RecordSettings {
  @IsOptional() @IsUrl(HTTP_URL, { message: 'url must be an http(s) URL' })
  url?: string;

  /** A file inside SUPPLIER_FEED_DIR (relative to it, or absolute). */
  @IsOptional() @IsString() @MinLength(1)
  path?: string;

  @IsIn(['csv', 'json', 'jsonl'])
  format: 'csv' | 'json' | 'jsonl' = 'csv';

  @IsOptional() @IsString() @Length(1, 1)
  delimiter?: string;

  /** For JSON: the dotted path of the products array, e.g. "data.products"; the document itself when omitted. */
  @IsOptional() @IsString() @MinLength(1)
  json_path?: string;
}

/** A REST supplier API with token auth, page or cursor pagination and `updated_since`. */
export class ApiSupplierSettings extends RecordSettings {
  @IsUrl(HTTP_URL, { message: 'base_url must be an http(s) URL' })
  base_url!: string;

  @IsString() @Matches(/^\//)
  products_path = '/products';

  /** A lighter endpoint with just sku, stock and cost, used by update_supplier_inventory; products_path when omitted. */
  @IsOptional() @IsString() @Matches(/^\//)
  inventory_path?: string;

  @IsIn(['page', 'cursor'])
  pagination: 'page' | 'cursor' = 'page';

  @IsInt() @Min(1) @Max(1000)
  page_size = 100;

  /** The query parameter for incremental syncs; empty turns incremental syncs off. */
  @IsString()
  updated_since_param = 'updated_since';

  /** The key of the records array in each page's body. */
  @IsString() @MinLength(1)
  items_key = 'products';
}

export type SupplierSettings = FeedSupplierSettings | ApiSupplierSettings;

/** Validates a supplier's settings for its kind, filling defaults; a UsageError lists every problem. */
export function parseSupplierSettings(kind: SupplierKind, raw: unknown): SupplierSettings {
  const settings: SupplierSettings =
    kind === 'feed' ? plainToInstance(FeedSupplierSettings, raw ?? {}, { exposeDefaultValues: true }) : plainToInstance(ApiSupplierSettings, raw ?? {}, { exposeDefaultValues: true });
  const problems = flattenValidationErrors(validateSync(settings, { whitelist: true, forbidNonWhitelisted: true }), 'settings');
  if (settings instanceof FeedSupplierSettings && !settings.url === !settings.path) problems.push('settings: give exactly one of url (http/https) or path (a file in SUPPLIER_FEED_DIR)');
  if (problems.length > 0) throw new UsageError(`Invalid ${kind} supplier settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return settings;
}
