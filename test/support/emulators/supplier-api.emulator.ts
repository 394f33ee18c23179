import { HttpEmulator, type RecordedRequest, type Reply } from './http-emulator.js';

export interface EmulatedSupplierProduct {
  sku: string;
  name: string;
  price: number | string;
  quantity: number | string;
  description?: string;
  images?: string[];
  updated_at: string;
}

/**
 * A supplier's REST API as RestSupplierConnector expects it: bearer token, `page`/`per_page`
 * with `total_pages` and X-Total-Pages, or `limit`/`cursor` with `next_cursor`, `updated_since`
 * filtering, and an /inventory endpoint. Also serves feed files at /feeds/<name>.
 */
export class SupplierApiEmulator extends HttpEmulator {
  products: EmulatedSupplierProduct[] = [];
  feeds = new Map<string, string | Buffer>();

  constructor(readonly token = 'supplier-secret-token') {
    super();
  }

  protected route(request: RecordedRequest): Reply {
    if (request.headers.authorization !== `Bearer ${this.token}`) return { status: 401, body: { error: 'invalid token' } };
    if (request.path.startsWith('/feeds/')) {
      const feed = this.feeds.get(request.path.slice('/feeds/'.length));
      return feed === undefined ? { status: 404, body: { error: 'no such feed' } } : { raw: feed };
    }
    if (request.path === '/v1/products' || request.path === '/v1/inventory') {
      const since = request.query.get('updated_since');
      const items = this.products
        .filter((p) => !since || p.updated_at > since)
        .map((p) => (request.path === '/v1/inventory' ? { sku: p.sku, quantity: p.quantity, price: p.price } : p));
      if (request.query.has('cursor') || request.query.has('limit')) {
        const limit = Number(request.query.get('limit') ?? 100);
        const start = Number(request.query.get('cursor') ?? 0);
        const next = start + limit < items.length ? String(start + limit) : null;
        return { body: { data: items.slice(start, start + limit), next_cursor: next } };
      }
      const perPage = Number(request.query.get('per_page') ?? 100);
      const page = Number(request.query.get('page') ?? 1);
      const totalPages = Math.max(1, Math.ceil(items.length / perPage));
      return { headers: { 'x-total-pages': String(totalPages) }, body: { data: items.slice((page - 1) * perPage, page * perPage), page, total_pages: totalPages } };
    }
    return { status: 404, body: { error: 'not found' } };
  }
}
