import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../core/http/paging.js';

export class AnalysisQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  product_id?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  max_score?: number;
}

export class DraftQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  marketplace_id?: number;

  @IsOptional() @IsIn(['draft', 'approved', 'rejected', 'published'])
  state?: 'draft' | 'approved' | 'rejected' | 'published';
}

export class OpenSessionDto {
  @IsOptional() @IsString() @Length(1, 200)
  title?: string;

  @IsOptional() @IsIn(['embedded', 'openai'])
  provider?: string;
}

export class ChatMessageDto {
  @IsString() @Length(1, 8000)
  content!: string;
}
