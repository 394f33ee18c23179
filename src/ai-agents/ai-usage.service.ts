import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig, type AiProviderName } from '../config/app-config.js';
import { BudgetExhaustedError } from '../core/errors.js';

export interface CallRecord {
  provider: AiProviderName;
  model: string;
  purpose: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  ok: boolean;
  error?: string;
}

/**
 * Every AI call is a row in ai_calls (tokens, cost, latency, outcome). The remote provider's
 * daily token budget is counted from those rows over the business day (BUSINESS_TIMEZONE).
 */
@Injectable()
export class AiUsageService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  cost(tokensIn: number, tokensOut: number): number {
    const price = this.config.ai.pricePer1k;
    return Math.round(((tokensIn / 1000) * price.input + (tokensOut / 1000) * price.output) * 1e6) / 1e6;
  }

  async record(call: CallRecord): Promise<number> {
    const cost = this.cost(call.tokensIn, call.tokensOut);
    await this.db.query(
      'INSERT INTO ai_calls (provider, model, purpose, tokens_in, tokens_out, cost, latency_ms, ok, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [call.provider, call.model, call.purpose, call.tokensIn, call.tokensOut, cost, call.latencyMs, call.ok, call.error ?? null],
    );
    return cost;
  }

  /** Throws BudgetExhaustedError when the provider has spent today's tokens. The embedded provider spends none. */
  async assertBudget(provider: AiProviderName): Promise<void> {
    const budget = this.config.ai.dailyTokenBudget;
    if (provider === 'embedded' || budget === 0) return;
    const [{ used, resets_at }] = (await this.db.query(
      `SELECT coalesce(sum(tokens_in + tokens_out), 0)::int AS used,
              (date_trunc('day', now() AT TIME ZONE $2) + interval '1 day') AT TIME ZONE $2 AS resets_at
         FROM ai_calls WHERE provider = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE $2) AT TIME ZONE $2`,
      [provider, this.config.scheduler.timezone],
    )) as { used: number; resets_at: Date }[];
    if (used >= budget) {
      throw new BudgetExhaustedError(
        `Today's AI token budget is spent (${used.toLocaleString('en-US')} of AI_DAILY_TOKEN_BUDGET=${budget.toLocaleString('en-US')} tokens for ${provider}); it refills at ${resets_at.toISOString()}. Raise the budget, wait, or use the embedded provider.`,
        resets_at,
      );
    }
  }

  async today(): Promise<{ provider: string; calls: number; tokens: number; cost: string }[]> {
    return (await this.db.query(
      `SELECT provider, count(*)::int AS calls, coalesce(sum(tokens_in + tokens_out), 0)::int AS tokens, coalesce(sum(cost), 0)::text AS cost
         FROM ai_calls WHERE created_at >= date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1 GROUP BY provider ORDER BY provider`,
      [this.config.scheduler.timezone],
    )) as { provider: string; calls: number; tokens: number; cost: string }[];
  }
}
