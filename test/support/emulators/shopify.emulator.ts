import { HttpEmulator, type RecordedRequest, type Reply } from './http-emulator.js';

export interface ShopifyVariant { id: number; sku: string; title: string; price: string; inventory_item_id: number }
export interface ShopifyProduct { id: number; title: string; status: string; variants: ShopifyVariant[] }
export interface ShopifyOrder {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  financial_status: string;
  fulfillment_status: string | null;
  currency: string;
  subtotal_price: string;
  total_price: string;
  shipping_address: { country_code: string } | null;
  line_items: { id: number; sku: string; title: string; quantity: number; price: string }[];
}

export const SHOPIFY_VERSION = '2026-10';

/**
 * The Shopify Admin REST API as documented: X-Shopify-Access-Token auth, a leaky-bucket call
 * limit reported in X-Shopify-Shop-Api-Call-Limit and enforced with 429 + Retry-After,
 * cursor pagination through the Link header's page_info (which, as on Shopify, refuses other
 * filters beside it), products with variants, orders by updated_at_min, inventory_levels/set,
 * and fulfilments through fulfillment orders.
 */
export class ShopifyEmulator extends HttpEmulator {
  products: ShopifyProduct[] = [];
  orders: ShopifyOrder[] = [];
  readonly levels = new Map<number, number>();
  readonly fulfillments = new Map<number, { id: number; status: string; tracking_number: string; tracking_company: string; tracking_url?: string }[]>();
  throttled = 0;
  private bucket = 0;
  private leakedAt = Date.now();
  private nextId = 900000;

  constructor(
    readonly token = 'shpat_test_token',
    readonly bucketSize = 40,
    readonly leakPerSecond = 2,
    readonly locationId = 655441491,
  ) {
    super();
  }

  protected route(request: RecordedRequest): Reply {
    if (request.headers['x-shopify-access-token'] !== this.token) {
      return { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };
    }
    const now = Date.now();
    this.bucket = Math.max(0, this.bucket - ((now - this.leakedAt) / 1000) * this.leakPerSecond);
    this.leakedAt = now;
    if (this.bucket + 1 > this.bucketSize) {
      this.throttled++;
      return { status: 429, headers: { 'retry-after': '1.0', 'x-shopify-shop-api-call-limit': `${this.bucketSize}/${this.bucketSize}` }, body: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' } };
    }
    this.bucket += 1;
    const reply = this.handle(request, request.path.replace(`/admin/api/${SHOPIFY_VERSION}/`, ''));
    return { ...reply, headers: { ...reply.headers, 'x-shopify-shop-api-call-limit': `${Math.ceil(this.bucket)}/${this.bucketSize}` } };
  }

  private handle(request: RecordedRequest, path: string): Reply {
    if (request.method === 'GET' && path === 'products.json') return this.page(request, 'products', this.products);
    if (request.method === 'POST' && path === 'products.json') {
      const input = request.body?.product ?? {};
      if (!input.title) return { status: 422, body: { errors: { title: ["can't be blank"] } } };
      const id = this.nextId++;
      const product: ShopifyProduct = {
        id,
        title: input.title,
        status: input.status ?? 'active',
        variants: (input.variants ?? [{}]).map((v: { sku?: string; price?: string }) => ({ id: this.nextId++, sku: v.sku ?? '', title: 'Default Title', price: v.price ?? '0.00', inventory_item_id: this.nextId++ })),
      };
      this.products.push(product);
      return { status: 201, body: { product: { ...product, body_html: input.body_html, tags: input.tags ?? '' } } };
    }
    const productPath = /^products\/(\d+)\.json$/.exec(path);
    if (request.method === 'PUT' && productPath) {
      const product = this.products.find((p) => p.id === Number(productPath[1]));
      if (!product) return { status: 404, body: { errors: 'Not Found' } };
      product.title = request.body?.product?.title ?? product.title;
      return { body: { product } };
    }
    if (request.method === 'GET' && path === 'orders.json') {
      const since = request.query.get('updated_at_min');
      const orders = this.orders.filter((o) => !since || o.updated_at >= since).sort((a, b) => a.updated_at.localeCompare(b.updated_at));
      return this.page(request, 'orders', orders);
    }
    if (request.method === 'GET' && path === 'locations.json') return { body: { locations: [{ id: this.locationId, name: 'Warehouse', active: true }] } };
    if (request.method === 'POST' && path === 'inventory_levels/set.json') {
      const { location_id, inventory_item_id, available } = request.body ?? {};
      if (location_id !== this.locationId) return { status: 422, body: { errors: { location_id: ['is invalid'] } } };
      if (!this.products.some((p) => p.variants.some((v) => v.inventory_item_id === inventory_item_id))) return { status: 404, body: { errors: 'Not Found' } };
      this.levels.set(inventory_item_id, available);
      return { body: { inventory_level: { inventory_item_id, location_id, available, updated_at: new Date().toISOString() } } };
    }
    const fo = /^orders\/(\d+)\/fulfillment_orders\.json$/.exec(path);
    if (fo && request.method === 'GET') {
      const order = this.orders.find((o) => o.id === Number(fo[1]));
      if (!order) return { status: 404, body: { errors: 'Not Found' } };
      const done = (this.fulfillments.get(order.id) ?? []).length > 0;
      return { body: { fulfillment_orders: [{ id: order.id * 10, order_id: order.id, status: done ? 'closed' : 'open' }] } };
    }
    const list = /^orders\/(\d+)\/fulfillments\.json$/.exec(path);
    if (list && request.method === 'GET') return { body: { fulfillments: this.fulfillments.get(Number(list[1])) ?? [] } };
    if (request.method === 'POST' && path === 'fulfillments.json') {
      const { line_items_by_fulfillment_order: items, tracking_info: tracking } = request.body?.fulfillment ?? {};
      const orderId = Number(items?.[0]?.fulfillment_order_id) / 10;
      const order = this.orders.find((o) => o.id === orderId);
      if (!order || (this.fulfillments.get(orderId) ?? []).length > 0) return { status: 422, body: { errors: ['Fulfillment order is not in an open state'] } };
      const created = { id: this.nextId++, status: 'success', tracking_number: tracking.number, tracking_company: tracking.company, tracking_url: tracking.url };
      this.fulfillments.set(orderId, [created]);
      order.fulfillment_status = 'fulfilled';
      order.updated_at = new Date().toISOString();
      return { status: 201, body: { fulfillment: created } };
    }
    return { status: 404, body: { errors: 'Not Found' } };
  }

  private page(request: RecordedRequest, key: string, items: unknown[]): Reply {
    const pageInfo = request.query.get('page_info');
    const limit = Number(request.query.get('limit') ?? 50);
    if (limit > 250) return { status: 400, body: { errors: 'limit must be 250 or less' } };
    let offset = 0;
    if (pageInfo) {
      const others = [...request.query.keys()].filter((k) => !['page_info', 'limit', 'fields'].includes(k));
      if (others.length > 0) return { status: 400, body: { errors: `page_info cannot be combined with ${others.join(', ')}` } };
      offset = Number(Buffer.from(pageInfo, 'base64url').toString());
    }
    const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
    const headers: Record<string, string> = next ? { link: `<${this.url}${request.path}?limit=${limit}&page_info=${next}>; rel="next"` } : {};
    return { headers, body: { [key]: items.slice(offset, offset + limit) } };
  }
}
