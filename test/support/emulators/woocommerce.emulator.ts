import { HttpEmulator, type RecordedRequest, type Reply } from './http-emulator.js';

export interface WooProduct { id: number; name: string; sku: string; price: string; status: string; type: 'simple' | 'variable'; stock_quantity: number | null; manage_stock: boolean; variations: number[] }
export interface WooVariation { id: number; parent_id: number; name: string; sku: string; price: string; status: string; stock_quantity: number | null; manage_stock: boolean }
export interface WooOrder {
  id: number;
  number: string;
  status: string;
  currency: string;
  total: string;
  date_created_gmt: string;
  date_modified_gmt: string;
  billing: { country: string };
  shipping: { country: string };
  line_items: { id: number; sku: string; name: string; quantity: number; price: number; subtotal: string }[];
}

const BASE = '/wp-json/wc/v3/';

/**
 * WooCommerce REST API v3 as documented: consumer key and secret over HTTP Basic, X-WP-Total /
 * X-WP-TotalPages pagination, products and variations with their batch endpoints (100 changes
 * at most), orders by modified_after, order notes, and order updates.
 */
export class WooCommerceEmulator extends HttpEmulator {
  products: WooProduct[] = [];
  variations: WooVariation[] = [];
  orders: WooOrder[] = [];
  readonly notes = new Map<number, { id: number; note: string; customer_note: boolean }[]>();
  private nextId = 5000;

  constructor(
    readonly key = 'ck_test_key',
    readonly secret = 'cs_test_secret',
  ) {
    super();
  }

  protected route(request: RecordedRequest): Reply {
    const expected = `Basic ${Buffer.from(`${this.key}:${this.secret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return { status: 401, body: { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } } };
    }
    if (!request.path.startsWith(BASE)) return { status: 404, body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } } };
    const path = request.path.slice(BASE.length);
    if (request.method === 'GET' && path === 'products') return this.page(request, this.products);
    const variations = /^products\/(\d+)\/variations$/.exec(path);
    if (request.method === 'GET' && variations) return this.page(request, this.variations.filter((v) => v.parent_id === Number(variations[1])));
    if (request.method === 'POST' && path === 'products/batch') return this.batch(request, this.products);
    const variationBatch = /^products\/(\d+)\/variations\/batch$/.exec(path);
    if (request.method === 'POST' && variationBatch) return this.batch(request, this.variations.filter((v) => v.parent_id === Number(variationBatch[1])));
    if (request.method === 'GET' && path === 'orders') {
      const after = request.query.get('modified_after');
      const orders = this.orders.filter((o) => !after || o.date_modified_gmt > after).sort((a, b) => a.date_modified_gmt.localeCompare(b.date_modified_gmt));
      return this.page(request, orders);
    }
    const order = /^orders\/(\d+)$/.exec(path);
    if (order) {
      const found = this.orders.find((o) => o.id === Number(order[1]));
      if (!found) return { status: 404, body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } } };
      if (request.method === 'PUT') {
        found.status = request.body?.status ?? found.status;
        found.date_modified_gmt = new Date().toISOString().slice(0, 19);
      }
      return { body: found };
    }
    const notes = /^orders\/(\d+)\/notes$/.exec(path);
    if (notes) {
      const id = Number(notes[1]);
      const list = this.notes.get(id) ?? [];
      if (request.method === 'POST') {
        const note = { id: this.nextId++, note: request.body.note, customer_note: Boolean(request.body.customer_note) };
        this.notes.set(id, [...list, note]);
        return { status: 201, body: note };
      }
      return { body: list };
    }
    return { status: 404, body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } } };
  }

  private page(request: RecordedRequest, items: unknown[]): Reply {
    const perPage = Number(request.query.get('per_page') ?? 10);
    if (perPage > 100) return { status: 400, body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): per_page', data: { status: 400 } } };
    const page = Number(request.query.get('page') ?? 1);
    const totalPages = Math.ceil(items.length / perPage);
    return { headers: { 'x-wp-total': String(items.length), 'x-wp-totalpages': String(totalPages) }, body: items.slice((page - 1) * perPage, page * perPage) };
  }

  private batch(request: RecordedRequest, items: { id: number; stock_quantity: number | null; manage_stock: boolean }[]): Reply {
    const updates: { id: number; stock_quantity?: number; manage_stock?: boolean }[] = request.body?.update ?? [];
    if (updates.length > 100) return { status: 413, body: { code: 'rest_request_entity_too_large', message: 'Unable to accept more than 100 items for this request.', data: { status: 413 } } };
    return {
      body: {
        update: updates.map((update) => {
          const item = items.find((i) => i.id === update.id);
          if (!item) return { id: update.id, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } };
          if (update.stock_quantity !== undefined) item.stock_quantity = update.stock_quantity;
          if (update.manage_stock !== undefined) item.manage_stock = update.manage_stock;
          return item;
        }),
      },
    };
  }
}
