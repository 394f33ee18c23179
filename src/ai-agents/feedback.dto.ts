import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { PageQuery, QueryBoolean } from '../core/http/paging.js';

export class FeedbackItemDto {
  @IsString() @Length(1, 20000)
  text!: string;

  @IsOptional() @IsInt() @Min(1) @Max(5)
  rating?: number;

  @IsOptional() @IsInt() @Min(1)
  marketplace_id?: number;

  @IsOptional() @IsInt() @Min(1)
  order_id?: number;

  /** The product, by Dropflow id or by SKU. */
  @IsOptional() @IsInt() @Min(1)
  product_id?: number;

  @IsOptional() @IsString() @Length(1, 255)
  sku?: string;

  @IsOptional() @Type(() => Date) @IsDate()
  received_at?: Date;
}

export class FeedbackBatchDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => FeedbackItemDto)
  items!: FeedbackItemDto[];
}

export class FeedbackQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  product_id?: number;

  @IsOptional() @IsIn(['positive', 'neutral', 'negative'])
  label?: 'positive' | 'neutral' | 'negative';

  @IsOptional() @QueryBoolean() @IsBoolean()
  analyzed?: boolean;
}
