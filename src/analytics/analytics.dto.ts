import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsNumberString, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { PageQuery } from '../core/http/paging.js';

export class ReportQuery extends PageQuery {
  @IsOptional() @IsIn(['daily', 'supplier_performance', 'marketplace_performance'])
  kind?: 'daily' | 'supplier_performance' | 'marketplace_performance';
}

export class MetricQuery extends PageQuery {
  @IsIn(['day', 'week', 'month'])
  period: 'day' | 'week' | 'month' = 'day';

  @IsIn(['total', 'marketplace', 'supplier', 'product'])
  dimension: 'total' | 'marketplace' | 'supplier' | 'product' = 'total';

  @IsOptional() @IsString() @Length(1, 100)
  dimension_id?: string;

  @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @IsOptional() @IsISO8601({ strict: true })
  to?: string;

  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ExchangeRateDto {
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  @IsISO8601({ strict: true })
  valid_from!: string;

  /** STORE_CURRENCY per one unit of `currency`, as a decimal string, e.g. "1.0842". */
  @IsNumberString()
  rate!: string;

  /** Where the rate comes from, e.g. "ECB euro foreign exchange reference rates, 2026-11-24". */
  @IsString() @Length(3, 200)
  source!: string;
}

export class ExchangeRatesDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ExchangeRateDto)
  rates!: ExchangeRateDto[];
}
