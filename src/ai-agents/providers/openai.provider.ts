import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsString, Max, Min, MinLength, ValidateNested, validateSync } from 'class-validator';
import type { ExternalHttpClient } from '../../core/connectors/external-http.js';
import { ExternalResponseError } from '../../core/errors.js';
import { flattenValidationErrors } from '../../core/validation.js';
import type { AiProvider, AiResult, ChatTurn, DescriptionAnalysis, FeedbackAnalysis, ListingRequest, ListingText, ProductText, StoreSummary } from './ai-provider.js';
import { missingAttributes, textStats } from './text-analysis.js';

class DescriptionAnswer {
  @IsInt() @Min(0) @Max(100) score!: number;
  @IsArray() @IsString({ each: true }) missing_attributes!: string[];
  @IsArray() @IsString({ each: true }) keywords!: string[];
  @IsArray() @IsString({ each: true }) suggestions!: string[];
}

class ListingAnswer {
  @IsString() @MinLength(1) title!: string;
  @IsString() @MinLength(1) description!: string;
  @IsArray() @IsString({ each: true }) bullet_points!: string[];
  @IsArray() @IsString({ each: true }) tags!: string[];
}

class AspectAnswer {
  @IsString() @MinLength(1) aspect!: string;
  @IsNumber() @Min(-1) @Max(1) score!: number;
  @IsIn(['positive', 'neutral', 'negative']) label!: 'positive' | 'neutral' | 'negative';
}

class FeedbackAnswer {
  @IsNumber() @Min(-1) @Max(1) score!: number;
  @IsIn(['positive', 'neutral', 'negative']) label!: 'positive' | 'neutral' | 'negative';
  @IsArray() @ValidateNested({ each: true }) @Type(() => AspectAnswer) aspects!: AspectAnswer[];
}

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface Completion {
  choices?: { message?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/**
 * Any OpenAI-compatible chat-completions server (OpenAI, Azure OpenAI, Ollama, vLLM, …). Where
 * a task needs structure it asks for a JSON object, validates it against the task's shape, and
 * asks once more, saying what was wrong, before failing. Retries, 429 Retry-After, timeouts and
 * the request rate come from the shared HTTP client.
 */
export class OpenAiProvider implements AiProvider {
  readonly name = 'openai' as const;

  constructor(
    private readonly http: ExternalHttpClient,
    readonly model: string,
  ) {}

  async analyzeDescription(product: ProductText): Promise<AiResult<DescriptionAnalysis>> {
    const stats = textStats(product.description);
    const result = await this.structured(DescriptionAnswer, [
      { role: 'system', content: 'You review e-commerce product descriptions. Answer with a JSON object only: {"score": 0-100 integer, "missing_attributes": [from "material", "size", "colour", "weight"], "keywords": [up to 8 search keywords], "suggestions": [short improvements]}.' },
      { role: 'user', content: JSON.stringify({ title: product.title, description: product.description, attributes: product.attributes, word_count: stats.wordCount }) },
    ]);
    const answer = result.value;
    return {
      ...result,
      value: {
        score: answer.score,
        wordCount: stats.wordCount,
        readability: stats.readability,
        // The model's list, checked against the text: it must not invent gaps the text fills.
        missingAttributes: answer.missing_attributes.filter((a) => missingAttributes(`${product.title} ${product.description}`, product.attributes).includes(a)),
        keywords: answer.keywords,
        suggestions: answer.suggestions,
      },
    };
  }

  async writeListing({ product, tone, limits }: ListingRequest): Promise<AiResult<ListingText>> {
    const result = await this.structured(ListingAnswer, [
      { role: 'system', content: `You write marketplace listings in a ${tone} voice. Answer with a JSON object only: {"title": at most ${limits.titleMaxLength} characters, "description": plain text paragraphs, "bullet_points": [3-6 short points], "tags": [at most ${limits.maxTags} lowercase tags]}. Use only facts given.` },
      { role: 'user', content: JSON.stringify(product) },
    ]);
    const { title, description, bullet_points: bulletPoints, tags } = result.value;
    return { ...result, value: { title, description, bulletPoints, tags } };
  }

  async analyzeFeedback(text: string, rating: number | null): Promise<AiResult<FeedbackAnalysis>> {
    const result = await this.structured(FeedbackAnswer, [
      { role: 'system', content: 'You analyse customer reviews of an online shop. Answer with a JSON object only: {"score": -1..1, "label": "positive"|"neutral"|"negative", "aspects": [{"aspect": one of shipping, quality, price, size, service, packaging, accuracy, "score": -1..1, "label": ...}]}.' },
      { role: 'user', content: JSON.stringify({ review: text, rating }) },
    ]);
    return { ...result, value: { score: result.value.score, label: result.value.label, aspects: result.value.aspects.map((a) => ({ aspect: a.aspect, score: a.score, label: a.label })) } };
  }

  async reply(history: ChatTurn[], store: StoreSummary): Promise<AiResult<string>> {
    const completion = await this.complete([
      { role: 'system', content: `You are the assistant of a dropshipping store's operators. Answer briefly from these facts about the store, and say when they do not cover the question: ${JSON.stringify(store)}` },
      ...history,
    ], false);
    if (!completion.content.trim()) throw new ExternalResponseError(`The AI provider (${this.model}) answered with an empty reply.`);
    return { value: completion.content.trim(), tokensIn: completion.tokensIn, tokensOut: completion.tokensOut };
  }

  private async structured<T extends object>(shape: new () => T, messages: Message[]): Promise<AiResult<T>> {
    let tokensIn = 0;
    let tokensOut = 0;
    let problems: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const asked = attempt === 1 ? messages : [...messages, { role: 'user' as const, content: `Your previous answer was not valid: ${problems.join('; ')}. Answer again with the JSON object only.` }];
      const completion = await this.complete(asked, true);
      tokensIn += completion.tokensIn;
      tokensOut += completion.tokensOut;
      let parsed: unknown;
      try {
        parsed = JSON.parse(completion.content);
      } catch {
        problems = [`not JSON (${JSON.stringify(completion.content.slice(0, 60))})`];
        continue;
      }
      const value = plainToInstance(shape, parsed);
      problems = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? flattenValidationErrors(validateSync(value)) : ['not a JSON object'];
      if (problems.length === 0) return { value, tokensIn, tokensOut };
    }
    throw new ExternalResponseError(`The AI provider (${this.model}) answered twice without the expected JSON: ${problems.join('; ')}. Try a model that follows JSON instructions, or AI_PROVIDER=embedded.`);
  }

  private async complete(messages: Message[], json: boolean): Promise<{ content: string; tokensIn: number; tokensOut: number }> {
    const { body } = await this.http.json<Completion>({
      method: 'POST',
      path: 'chat/completions',
      body: { model: this.model, messages, temperature: 0.2, ...(json ? { response_format: { type: 'json_object' } } : {}) },
    });
    const content = body?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new ExternalResponseError(`The AI provider (${this.model}) answered without choices[0].message.content; is AI_BASE_URL an OpenAI-compatible chat-completions API?`);
    return { content, tokensIn: body.usage?.prompt_tokens ?? 0, tokensOut: body.usage?.completion_tokens ?? 0 };
  }
}
