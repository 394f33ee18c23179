import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { ExternalAuthError, ExternalResponseError, ExternalUnavailableError } from '../errors.js';
import type { AccountRateLimiter } from './rate-limiters.js';
import { backoffMs, retryAfterMs } from './retry-after.js';

export interface ExternalServiceOptions {
  /** How messages name the service, e.g. 'Shopify shop "Main store"'. */
  label: string;
  baseUrl: string;
  headers?: Record<string, string>;
  limiter?: AccountRateLimiter;
  /** Sees every response before it is used, e.g. to slow down as Shopify's call bucket fills. */
  afterResponse?: (response: Response) => Promise<void> | void;
  /** Overrides CONNECTOR_MAX_RETRIES, e.g. 0 for a connection test that should answer at once. */
  maxRetries?: number;
  /** Overrides CONNECTOR_TIMEOUT_MS, e.g. AI_TIMEOUT_MS for a model that thinks slowly. */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface ExternalRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base URL, or absolute (a next-page link the service handed us). */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface ExternalResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Builds clients for external HTTP services with the configured timeouts, retries and waits. */
@Injectable()
export class ExternalHttp {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  client(options: ExternalServiceOptions): ExternalHttpClient {
    const defaults = this.config.connectors;
    return new ExternalHttpClient(options, { ...defaults, maxRetries: options.maxRetries ?? defaults.maxRetries, timeoutMs: options.timeoutMs ?? defaults.timeoutMs });
  }
}

interface RetryPolicy {
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  maxWaitMs: number;
}

/**
 * One external service. Every request waits for the account's rate limiter, times out, retries
 * refused connections, timeouts and 5xx with backoff, honours 429 Retry-After, and turns what
 * is left into one of three errors with a message an operator can act on. URLs in messages
 * carry no query string or user info, so no credential ends up in a log.
 */
export class ExternalHttpClient {
  constructor(
    private readonly service: ExternalServiceOptions,
    private readonly policy: RetryPolicy,
  ) {}

  get label(): string {
    return this.service.label;
  }

  async json<T>(request: ExternalRequest): Promise<ExternalResponse<T>> {
    const response = await this.send(request);
    const text = await this.withinTimeout(response.text(), () => void response.body?.cancel().catch(() => undefined), request);
    try {
      return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
    } catch {
      throw new ExternalResponseError(`${this.service.label} answered ${request.method ?? 'GET'} ${this.shown(request)} with something that is not JSON (${JSON.stringify(text.slice(0, 80))}); check the URL points at the API.`);
    }
  }

  /** Sends the request and hands back the response once its status is good; the caller reads (or streams) the body. */
  async send(request: ExternalRequest): Promise<Response> {
    const url = this.url(request);
    const method = request.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json', ...this.service.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.policy.maxRetries; attempt++) {
      await this.service.limiter?.acquire();
      let response: Response;
      // The timeout covers waiting for the answer's headers only: a large feed may take longer to stream than to start.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new DOMException('timed out', 'TimeoutError')), this.policy.timeoutMs);
      try {
        response = await fetch(url, {
          method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: abort.signal,
          redirect: 'follow',
        });
      } catch (error) {
        lastProblem = this.describeNetworkError(error, url);
        await this.pause(backoffMs(attempt, this.policy.retryBaseMs), attempt);
        continue;
      } finally {
        clearTimeout(timer);
      }
      await this.service.afterResponse?.(response);
      if (response.ok) return response;

      const detail = await this.errorDetail(response);
      if (response.status === 401 || response.status === 403) {
        throw new ExternalAuthError(`${this.service.label} refused the credentials (HTTP ${response.status}${detail}); check the token or key saved for it.`);
      }
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt, this.policy.retryBaseMs);
        lastProblem = `rate limited (HTTP 429, Retry-After ${Math.round(wait / 100) / 10} s)`;
        if (wait > this.policy.maxWaitMs) break;
        await this.pause(wait, attempt);
        continue;
      }
      if (response.status >= 500 || response.status === 408) {
        lastProblem = `HTTP ${response.status}${detail}`;
        await this.pause(backoffMs(attempt, this.policy.retryBaseMs), attempt);
        continue;
      }
      throw new ExternalResponseError(`${this.service.label} rejected ${method} ${this.shown(request)} (HTTP ${response.status}${detail}).`);
    }
    throw new ExternalUnavailableError(`${this.service.label} is unavailable: ${lastProblem} on ${method} ${this.shown(request)}, after ${this.policy.maxRetries + 1} tries. The run will be retried; check the service's status if it persists.`);
  }

  /** Reading a JSON body gets its own timeout, the same length as waiting for the headers. */
  private async withinTimeout<T>(reading: Promise<T>, cancel: () => void, request: ExternalRequest): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cancel();
        reject(new ExternalUnavailableError(`${this.service.label} stopped sending the answer to ${request.method ?? 'GET'} ${this.shown(request)} for ${this.policy.timeoutMs / 1000} s; the run will be retried.`));
      }, this.policy.timeoutMs);
    });
    try {
      return await Promise.race([reading, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async pause(ms: number, attempt: number): Promise<void> {
    if (attempt < this.policy.maxRetries) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private url(request: ExternalRequest): URL {
    const url = /^https?:\/\//.test(request.path) ? new URL(request.path) : new URL(request.path.replace(/^\//, ''), this.service.baseUrl.replace(/\/?$/, '/'));
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private shown(request: ExternalRequest): string {
    const url = this.url(request);
    return `${url.origin}${url.pathname}`;
  }

  private async errorDetail(response: Response): Promise<string> {
    const text = await response.text().catch(() => '');
    const compact = text.replace(/\s+/g, ' ').trim().slice(0, 160);
    return compact ? `: ${compact}` : '';
  }

  private describeNetworkError(error: unknown, url: URL): string {
    const err = error as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${this.policy.timeoutMs / 1000} s`;
    const code = err.cause?.code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host ${url.hostname} was not found (DNS); check the URL`;
    if (code === 'ECONNREFUSED') return `the connection to ${url.host} was refused; is the service running at that address?`;
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection to ${url.host} was reset`;
    if (code && /CERT|SSL|TLS/.test(code)) return `the TLS certificate of ${url.host} was not accepted (${code})`;
    return `${err.cause?.message ?? err.message}`;
  }
}
