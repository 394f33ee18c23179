import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Min } from 'class-validator';
import { PageQuery, QueryBoolean } from '../core/http/paging.js';
import type { SupplierKind } from './entities/supplier.entity.js';

export class CreateSupplierDto {
  @IsString() @Length(1, 200)
  name!: string;

  @IsIn(['feed', 'api'])
  kind!: SupplierKind;

  /** See FeedSupplierSettings / ApiSupplierSettings. */
  @IsObject()
  settings!: Record<string, unknown>;

  /** Write-only: {"token"} or {"username", "password"}. Stored encrypted; never returned. */
  @IsOptional() @IsObject()
  credentials?: Record<string, string>;

  @IsOptional() @IsBoolean()
  is_active?: boolean;
}

export class UpdateSupplierDto {
  @IsOptional() @IsString() @Length(1, 200)
  name?: string;

  @IsOptional() @IsObject()
  settings?: Record<string, unknown>;

  /** Replaces the stored credentials; `null` removes them. */
  @IsOptional() @IsObject()
  credentials?: Record<string, string> | null;

  @IsOptional() @IsBoolean()
  is_active?: boolean;
}

export class SyncSupplierDto {
  @IsOptional() @IsBoolean()
  force_full_sync?: boolean;
}

export class ProductQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  supplier_id?: number;

  /** Matches SKU or title, case-insensitively. */
  @IsOptional() @IsString() @Length(1, 200)
  q?: string;

  @IsOptional() @QueryBoolean() @IsBoolean()
  discontinued?: boolean;

  @IsOptional() @QueryBoolean() @IsBoolean()
  in_stock?: boolean;
}
