import type { ExternalHttpClient, QueryValue } from '../../core/connectors/external-http.js';
import { ExternalResponseError } from '../../core/errors.js';
import type { OrderStatus } from '../entities/order.entity.js';
import { productHtml, type FulfilmentOutcome, type FulfilmentRequest, type MarketplaceConnector, type ProductContent, type PushOutcome, type QuantityUpdate, type RemoteListing, type RemoteOrder } from './marketplace-connector.js';

const PAGE = 100;
/** products/batch and variations/batch take at most 100 changes per request. */
const BATCH = 100;

interface WooProduct { id: number; parent_id?: number; name: string; sku: string; price: string; status: string; type: string }
interface WooOrder {
  id: number;
  number: string;
  status: string;
  currency: string;
  total: string;
  date_created_gmt: string;
  date_modified_gmt: string;
  billing?: { country?: string };
  shipping?: { country?: string };
  line_items: { id: number; sku: string; name: string; quantity: number; price: number | string; subtotal: string }[];
}
interface WooNote { id: number; note: string }

const STATUS: Record<string, OrderStatus> = {
  pending: 'pending',
  'on-hold': 'pending',
  processing: 'paid',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  refunded: 'refunded',
  failed: 'failed',
  'checkout-draft': 'pending',
};

/**
 * WooCommerce REST API v3 (`/wp-json/wc/v3`), authenticated with the consumer key and secret
 * as HTTP Basic. Products (and the variations of variable products), orders by
 * `modified_after`, stock through `products/batch` (and `variations/batch`), fulfilment as
 * status `completed` plus a customer note with the tracking. Pages end at `X-WP-TotalPages`.
 */
export class WooCommerceConnector implements MarketplaceConnector {
  constructor(private readonly http: ExternalHttpClient) {}

  async *listings(): AsyncGenerator<RemoteListing[]> {
    for await (const products of this.pages<WooProduct>('products', {})) {
      const listings: RemoteListing[] = [];
      for (const product of products) {
        if (product.type !== 'variable') {
          listings.push(toListing(product, String(product.id)));
          continue;
        }
        for await (const variations of this.pages<WooProduct>(`products/${product.id}/variations`, {})) {
          listings.push(...variations.map((variation) => toListing({ ...variation, name: `${product.name} - ${variation.name || variation.sku}` }, String(product.id))));
        }
      }
      yield listings;
    }
  }

  async *orders(since: Date | null): AsyncGenerator<RemoteOrder[]> {
    // modified_after is exclusive and to the second: step back a second so an order updated in the cursor's second is not missed.
    const after = since ? new Date(since.getTime() - 1000).toISOString().replace(/\.\d{3}Z$/, '') : undefined;
    const query = { orderby: 'modified', order: 'asc', ...(after ? { modified_after: after, dates_are_gmt: true } : {}) };
    for await (const orders of this.pages<WooOrder>('orders', query)) yield orders.map(toOrder);
  }

  async pushQuantities(updates: QuantityUpdate[]): Promise<PushOutcome> {
    const outcome: PushOutcome = { pushed: [], failed: [], calls: 0 };
    // Simple products go to products/batch; variations to their parent's variations/batch.
    const groups = new Map<string, QuantityUpdate[]>();
    for (const update of updates) {
      const path = update.variantId === update.productId ? 'products/batch' : `products/${update.productId}/variations/batch`;
      groups.set(path, [...(groups.get(path) ?? []), update]);
    }
    for (const [path, group] of groups) {
      for (let i = 0; i < group.length; i += BATCH) {
        const chunk = group.slice(i, i + BATCH);
        try {
          outcome.calls++;
          const { body } = await this.http.json<{ update?: { id: number; error?: { message: string } }[] }>({
            method: 'POST',
            path,
            body: { update: chunk.map((u) => ({ id: Number(u.variantId), manage_stock: true, stock_quantity: u.quantity })) },
          });
          const results = new Map((body.update ?? []).map((item) => [String(item.id), item]));
          for (const update of chunk) {
            const result = results.get(update.variantId);
            if (result && !result.error) outcome.pushed.push(update.listingId);
            else outcome.failed.push({ listingId: update.listingId, error: result?.error?.message ?? 'not in the batch response' });
          }
        } catch (error) {
          outcome.failed.push(...chunk.map((u) => ({ listingId: u.listingId, error: (error as Error).message })));
        }
      }
    }
    return outcome;
  }

  async fulfil(request: FulfilmentRequest): Promise<FulfilmentOutcome> {
    const order = request.orderExternalId;
    const note = `Shipped with ${request.carrier}, tracking number ${request.trackingNumber}${request.trackingUrl ? `: ${request.trackingUrl}` : ''}`;
    // The note is written first and looked for first, so a retry after a crash adds no second note.
    const { body: notes } = await this.http.json<WooNote[]>({ path: `orders/${order}/notes` });
    let written = notes.find((n) => n.note.includes(`tracking number ${request.trackingNumber}`));
    const alreadyOnMarketplace = written !== undefined;
    if (!written) ({ body: written } = await this.http.json<WooNote>({ method: 'POST', path: `orders/${order}/notes`, body: { note, customer_note: true } }));
    const { body: current } = await this.http.json<WooOrder>({ path: `orders/${order}` });
    if (current.status !== 'completed') await this.http.json({ method: 'PUT', path: `orders/${order}`, body: { status: 'completed' } });
    return { externalId: String(written.id), alreadyOnMarketplace: alreadyOnMarketplace && current.status === 'completed' };
  }

  async publishProduct(content: ProductContent): Promise<{ externalProductId: string; created: boolean }> {
    const product = { name: content.title, description: productHtml({ ...content, bulletPoints: [] }), short_description: productHtml({ ...content, description: '' }), tags: content.tags.map((name) => ({ name })) };
    if (content.externalProductId) {
      await this.http.json({ method: 'PUT', path: `products/${content.externalProductId}`, body: product });
      return { externalProductId: content.externalProductId, created: false };
    }
    const { body } = await this.http.json<{ id: number }>({ method: 'POST', path: 'products', body: { ...product, type: 'simple', status: 'publish', sku: content.sku, regular_price: content.price, manage_stock: true } });
    return { externalProductId: String(body.id), created: true };
  }

  private async *pages<T>(path: string, query: Record<string, QueryValue>): AsyncGenerator<T[]> {
    for (let page = 1; ; page++) {
      const { body, headers } = await this.http.json<T[]>({ path, query: { ...query, per_page: PAGE, page } });
      if (!Array.isArray(body)) throw new ExternalResponseError(`WooCommerce answered ${path} with something other than a list; is store_url the WordPress site with WooCommerce?`);
      yield body;
      const totalPages = Number(headers.get('x-wp-totalpages') ?? 0);
      if (body.length === 0 || page >= totalPages) return;
    }
  }
}

function toListing(product: WooProduct, productId: string): RemoteListing {
  return { productId, variantId: String(product.id), inventoryItemId: null, sku: product.sku || null, title: product.name, price: product.price || null, status: product.status };
}

function toOrder(order: WooOrder): RemoteOrder {
  const subtotal = order.line_items.reduce((sum, line) => sum + Number(line.subtotal), 0);
  return {
    externalId: String(order.id),
    number: order.number,
    status: STATUS[order.status] ?? 'pending',
    platformStatus: order.status,
    customerCountry: order.shipping?.country || order.billing?.country || null,
    currency: order.currency,
    subtotal: subtotal.toFixed(2),
    total: order.total,
    placedAt: new Date(`${order.date_created_gmt}Z`),
    updatedAt: new Date(`${order.date_modified_gmt}Z`),
    lines: order.line_items.map((line) => ({ externalId: String(line.id), sku: line.sku || null, title: line.name, quantity: line.quantity, unitPrice: Number(line.price).toFixed(2) })),
  };
}
