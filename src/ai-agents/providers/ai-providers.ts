import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, type AiProviderName } from '../../config/app-config.js';
import { ExternalHttp } from '../../core/connectors/external-http.js';
import { RateLimiters } from '../../core/connectors/rate-limiters.js';
import { UsageError } from '../../core/errors.js';
import { AiUsageService } from '../ai-usage.service.js';
import type { AiProvider, AiResult } from './ai-provider.js';
import { EmbeddedProvider } from './embedded.provider.js';
import { OpenAiProvider } from './openai.provider.js';

/** A provider's answer with what it cost, as recorded. */
export interface Metered<T> {
  value: T;
  provider: AiProviderName;
  model: string;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  latencyMs: number;
}

/**
 * The providers, and the one way to call them: `call` checks the day's budget, times the call and
 * records it in ai_calls, whatever the outcome. AI_PROVIDER picks the default; a task may name
 * another.
 */
@Injectable()
export class AiProviders {
  private readonly providers = new Map<AiProviderName, AiProvider>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly usage: AiUsageService,
    http: ExternalHttp,
    limiters: RateLimiters,
  ) {
    this.providers.set('embedded', new EmbeddedProvider());
    const ai = config.ai;
    if (ai.baseUrl) {
      const client = http.client({
        label: `The AI provider at ${new URL(ai.baseUrl).host}`,
        baseUrl: ai.baseUrl,
        headers: ai.apiKey ? { authorization: `Bearer ${ai.apiKey}`, 'api-key': ai.apiKey } : {},
        limiter: limiters.for('ai:openai', ai.requestsPerSecond),
        timeoutMs: ai.timeoutMs,
      });
      this.providers.set('openai', new OpenAiProvider(client, ai.model));
    }
  }

  resolve(name?: string | null): AiProvider {
    const wanted = (name ?? this.config.ai.provider) as AiProviderName;
    const provider = this.providers.get(wanted);
    if (!provider) {
      throw new UsageError(`The AI provider "${wanted}" is not available: ${wanted === 'openai' ? 'set AI_BASE_URL (and AI_API_KEY) to use it' : 'use "embedded" or "openai"'}.`);
    }
    return provider;
  }

  async call<T>(purpose: string, fn: (provider: AiProvider) => Promise<AiResult<T>>, providerName?: string | null): Promise<Metered<T>> {
    const provider = this.resolve(providerName);
    await this.usage.assertBudget(provider.name);
    const started = performance.now();
    try {
      const result = await fn(provider);
      const latencyMs = Math.round(performance.now() - started);
      const cost = await this.usage.record({ provider: provider.name, model: provider.model, purpose, tokensIn: result.tokensIn, tokensOut: result.tokensOut, latencyMs, ok: true });
      return { ...result, provider: provider.name, model: provider.model, cost, latencyMs };
    } catch (error) {
      await this.usage.record({ provider: provider.name, model: provider.model, purpose, tokensIn: 0, tokensOut: 0, latencyMs: Math.round(performance.now() - started), ok: false, error: (error as Error).message });
      throw error;
    }
  }
}
