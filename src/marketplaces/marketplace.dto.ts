import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Min } from 'class-validator';
import { PageQuery, QueryBoolean } from '../core/http/paging.js';
import type { Platform } from './entities/marketplace.entity.js';
import type { OrderStatus } from './entities/order.entity.js';

export class CreateMarketplaceDto {
  @IsString() @Length(1, 200)
  name!: string;

  @IsIn(['shopify', 'woocommerce'])
  platform!: Platform;

  /** See MarketplaceSettings: store_url, and optionally api_version, location_id, safety_buffer, requests_per_second. */
  @IsObject()
  settings!: Record<string, unknown>;

  /** Write-only. Shopify: {"access_token"}; WooCommerce: {"consumer_key", "consumer_secret"}. */
  @IsObject()
  credentials!: Record<string, string>;

  @IsOptional() @IsBoolean()
  is_active?: boolean;
}

export class UpdateMarketplaceDto {
  @IsOptional() @IsString() @Length(1, 200)
  name?: string;

  @IsOptional() @IsObject()
  settings?: Record<string, unknown>;

  @IsOptional() @IsObject()
  credentials?: Record<string, string>;

  @IsOptional() @IsBoolean()
  is_active?: boolean;
}

export class ListingQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  marketplace_id?: number;

  /** false lists the listings no supplier product carries: the ones to fix. */
  @IsOptional() @QueryBoolean() @IsBoolean()
  linked?: boolean;

  @IsOptional() @IsString() @Length(1, 200)
  sku?: string;
}

export class OrderQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  marketplace_id?: number;

  @IsOptional() @IsIn(['pending', 'paid', 'partially_fulfilled', 'fulfilled', 'cancelled', 'refunded', 'failed'])
  status?: OrderStatus;

  @IsOptional() @Type(() => Date) @IsDate()
  placed_after?: Date;

  @IsOptional() @Type(() => Date) @IsDate()
  placed_before?: Date;
}
