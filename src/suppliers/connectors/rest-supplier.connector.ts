import type { ExternalHttpClient, QueryValue } from '../../core/connectors/external-http.js';
import { ExternalResponseError } from '../../core/errors.js';
import type { ApiSupplierSettings } from '../supplier-settings.js';
import type { RawRow } from './product-row.js';
import type { ConnectionCheck, SupplierConnector } from './supplier-connector.js';

interface Page {
  records: Record<string, unknown>[];
  next?: Record<string, QueryValue>;
}

/**
 * A supplier's REST API, token-authenticated (the client sends `Authorization: Bearer`).
 * Page pagination: `?page=N&per_page=M`, ending at `total_pages` (body) or `X-Total-Pages`
 * (header), or at a short page. Cursor pagination: `?limit=M&cursor=C`, following the body's
 * `next_cursor` until it is empty. Incremental syncs add `updated_since=<ISO time>`.
 */
export class RestSupplierConnector implements SupplierConnector {
  constructor(
    private readonly settings: ApiSupplierSettings,
    private readonly http: ExternalHttpClient,
  ) {}

  get supportsIncremental(): boolean {
    return this.settings.updated_since_param !== '';
  }

  async testConnection(): Promise<ConnectionCheck> {
    const page = await this.page(this.settings.products_path, this.firstPage(1), {});
    const fields = Object.keys(page.records[0] ?? {});
    return { ok: true, message: `${this.http.label} answered with ${page.records.length} product(s) on a first page of 1${fields.length ? `; fields ${fields.join(', ')}` : ''}` };
  }

  records(options: { updatedSince?: Date } = {}): AsyncIterable<RawRow> {
    const since: Record<string, QueryValue> = options.updatedSince && this.supportsIncremental ? { [this.settings.updated_since_param]: options.updatedSince.toISOString() } : {};
    return this.walk(this.settings.products_path, since);
  }

  inventoryRecords(): AsyncIterable<RawRow> {
    return this.walk(this.settings.inventory_path ?? this.settings.products_path, {});
  }

  private async *walk(path: string, extra: Record<string, QueryValue>): AsyncGenerator<RawRow> {
    let line = 0;
    let query: Record<string, QueryValue> | undefined = this.firstPage(this.settings.page_size);
    while (query) {
      const page = await this.page(path, query, extra);
      for (const record of page.records) {
        line++;
        yield record && typeof record === 'object' && !Array.isArray(record) ? { line, record } : { line, error: 'not a JSON object' };
      }
      query = page.next;
    }
  }

  private firstPage(size: number): Record<string, QueryValue> {
    return this.settings.pagination === 'page' ? { page: 1, per_page: size } : { limit: size };
  }

  private async page(path: string, query: Record<string, QueryValue>, extra: Record<string, QueryValue>): Promise<Page> {
    const { body, headers } = await this.http.json<unknown>({ path, query: { ...query, ...extra } });
    const container = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    const records = Array.isArray(body) ? body : container?.[this.settings.items_key];
    if (!Array.isArray(records)) {
      throw new ExternalResponseError(`${this.http.label} answered ${path} without a "${this.settings.items_key}" array (keys: ${Object.keys(container ?? {}).join(', ') || 'none'}); check the supplier's items_key setting.`);
    }
    if (this.settings.pagination === 'cursor') {
      const cursor = container?.next_cursor;
      return { records, next: typeof cursor === 'string' && cursor !== '' ? { ...query, cursor } : undefined };
    }
    const current = Number(query.page);
    const totalPages = Number(container?.total_pages ?? headers.get('x-total-pages') ?? NaN);
    const more = Number.isFinite(totalPages) ? current < totalPages : records.length >= Number(query.per_page);
    return { records, next: more && records.length > 0 ? { ...query, page: current + 1 } : undefined };
  }
}
