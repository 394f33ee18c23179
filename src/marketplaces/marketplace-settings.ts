import { plainToInstance } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';
import { UsageError } from '../core/errors.js';
import { flattenValidationErrors } from '../core/validation.js';
import type { Platform } from './entities/marketplace.entity.js';

/** Shopify Admin REST API version used unless a marketplace names another. */
export const SHOPIFY_API_VERSION = '2026-10';

export class MarketplaceSettings {
  /** The shop: https://my-shop.myshopify.com, or the WordPress site of a WooCommerce store. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'store_url must be an http(s) URL' })
  store_url!: string;

  /** Shopify only: the Admin API version, e.g. 2026-10. */
  @IsOptional() @Matches(/^\d{4}-\d{2}$/, { message: 'api_version must look like 2026-10' })
  api_version?: string;

  /** Shopify only: the location whose stock is set; the shop's first active location when omitted. */
  @IsOptional() @IsString() @Matches(/^\d+$/, { message: 'location_id must be a Shopify location id (digits)' })
  location_id?: string;

  /** Units held back from each listing; INVENTORY_SAFETY_BUFFER when omitted. */
  @IsOptional() @IsInt() @Min(0)
  safety_buffer?: number;

  /** Overrides SHOPIFY_REQUESTS_PER_SECOND / WOOCOMMERCE_REQUESTS_PER_SECOND for this account. */
  @IsOptional() @IsNumber() @Min(0.01)
  requests_per_second?: number;

  /** Stock updates in flight at once (each still waits for the rate limiter). */
  @IsInt() @Min(1) @Max(32)
  push_concurrency = 4;

  /** Generated listings: the longest title and most tags the store takes (platform defaults when omitted). */
  @IsOptional() @IsInt() @Min(10) @Max(1000)
  title_max_length?: number;

  @IsOptional() @IsInt() @Min(0) @Max(250)
  max_tags?: number;

  /** Analytics: what the marketplace charges per order (percent of the order total, plus a fixed amount in the order's currency). */
  @IsOptional() @IsNumber() @Min(0) @Max(100)
  fee_percent?: number;

  @IsOptional() @IsNumber() @Min(0)
  fee_fixed?: number;

  /** Analytics: what shipping an order costs the store, in STORE_CURRENCY. */
  @IsOptional() @IsNumber() @Min(0)
  shipping_cost_per_order?: number;

  /** A product published from a draft is priced at supplier cost × this. */
  @IsNumber() @Min(1)
  price_markup = 2;
}

/** What each platform accepts, unless a marketplace's settings say less. */
export const LISTING_LIMITS: Record<Platform, { titleMaxLength: number; maxTags: number }> = {
  shopify: { titleMaxLength: 255, maxTags: 250 },
  woocommerce: { titleMaxLength: 200, maxTags: 100 },
};

const REQUIRED_CREDENTIALS: Record<Platform, string[]> = {
  shopify: ['access_token'],
  woocommerce: ['consumer_key', 'consumer_secret'],
};

export function parseMarketplaceSettings(raw: unknown): MarketplaceSettings {
  const settings = plainToInstance(MarketplaceSettings, raw ?? {}, { exposeDefaultValues: true });
  const problems = flattenValidationErrors(validateSync(settings, { whitelist: true, forbidNonWhitelisted: true }), 'settings');
  if (problems.length > 0) throw new UsageError(`Invalid marketplace settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return settings;
}

/** Names what is missing, never what was given. */
export function checkMarketplaceCredentials(platform: Platform, credentials: Record<string, unknown>): Record<string, string> {
  const missing = REQUIRED_CREDENTIALS[platform].filter((key) => typeof credentials[key] !== 'string' || credentials[key] === '');
  if (missing.length > 0) throw new UsageError(`${platform} credentials need ${REQUIRED_CREDENTIALS[platform].join(' and ')}; missing or not a string: ${missing.join(', ')}`);
  return credentials as Record<string, string>;
}
