import pLimit from 'p-limit';
import type { ExternalHttpClient } from '../../core/connectors/external-http.js';
import { ExternalResponseError } from '../../core/errors.js';
import type { OrderStatus } from '../entities/order.entity.js';
import { productHtml, type FulfilmentOutcome, type FulfilmentRequest, type MarketplaceConnector, type ProductContent, type PushOutcome, type QuantityUpdate, type RemoteListing, type RemoteOrder } from './marketplace-connector.js';

const PAGE = 250;

interface ShopifyVariant { id: number; sku: string | null; title: string; price: string | null; inventory_item_id: number | null }
interface ShopifyProduct { id: number; title: string; status: string; variants: ShopifyVariant[] }
interface ShopifyAddress { country_code?: string | null }
interface ShopifyOrder {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  financial_status: string | null;
  fulfillment_status: string | null;
  currency: string;
  subtotal_price: string;
  total_price: string;
  shipping_address?: ShopifyAddress | null;
  billing_address?: ShopifyAddress | null;
  line_items: { id: number; sku: string | null; title: string; quantity: number; price: string }[];
}
interface FulfillmentOrder { id: number; status: string }
interface ShopifyFulfillment { id: number; status: string; tracking_number: string | null; tracking_numbers?: string[] }

/**
 * Shopify Admin REST API: products with variants, orders by `updated_at_min`, stock through
 * `inventory_levels/set.json`, fulfilment through fulfillment orders. Pages follow the `Link`
 * header (`page_info`). Requests authenticate with `X-Shopify-Access-Token` and go through the
 * account's rate limiter; the client slows down further when `X-Shopify-Shop-Api-Call-Limit`
 * shows the shop's bucket nearly full (other apps share it).
 */
export class ShopifyConnector implements MarketplaceConnector {
  constructor(
    private readonly http: ExternalHttpClient,
    private readonly options: {
      locationId?: string;
      pushConcurrency: number;
      /** Locations looked up earlier in this process, by shop; a push does not spend a call on it again. */
      knownLocations: Map<string, string>;
      shop: string;
    },
  ) {}

  async *listings(): AsyncGenerator<RemoteListing[]> {
    for await (const products of this.pages<ShopifyProduct>('products.json', 'products', { limit: PAGE, fields: 'id,title,status,variants' })) {
      yield products.flatMap((product) =>
        product.variants.map((variant) => ({
          productId: String(product.id),
          variantId: String(variant.id),
          inventoryItemId: variant.inventory_item_id === null ? null : String(variant.inventory_item_id),
          sku: variant.sku || null,
          title: product.variants.length > 1 ? `${product.title} - ${variant.title}` : product.title,
          price: variant.price,
          status: product.status,
        })),
      );
    }
  }

  async *orders(since: Date | null): AsyncGenerator<RemoteOrder[]> {
    const query = { status: 'any', limit: PAGE, order: 'updated_at asc', ...(since ? { updated_at_min: since.toISOString() } : {}) };
    for await (const orders of this.pages<ShopifyOrder>('orders.json', 'orders', query)) yield orders.map(toOrder);
  }

  async pushQuantities(updates: QuantityUpdate[]): Promise<PushOutcome> {
    const outcome: PushOutcome = { pushed: [], failed: [], calls: 0 };
    const locationId = await this.location(outcome);
    const limit = pLimit(this.options.pushConcurrency);
    await Promise.all(
      updates.map((update) =>
        limit(async () => {
          if (!update.inventoryItemId) {
            outcome.failed.push({ listingId: update.listingId, error: 'the variant has no inventory item (inventory is not tracked)' });
            return;
          }
          try {
            outcome.calls++;
            await this.http.json({ method: 'POST', path: 'inventory_levels/set.json', body: { location_id: Number(locationId), inventory_item_id: Number(update.inventoryItemId), available: update.quantity } });
            outcome.pushed.push(update.listingId);
          } catch (error) {
            outcome.failed.push({ listingId: update.listingId, error: (error as Error).message });
          }
        }),
      ),
    );
    return outcome;
  }

  async fulfil(request: FulfilmentRequest): Promise<FulfilmentOutcome> {
    const order = request.orderExternalId;
    // An earlier attempt may have created the fulfilment and died before recording it.
    const { body: existing } = await this.http.json<{ fulfillments: ShopifyFulfillment[] }>({ path: `orders/${order}/fulfillments.json` });
    const match = existing.fulfillments.find((f) => f.status !== 'cancelled' && (f.tracking_number === request.trackingNumber || f.tracking_numbers?.includes(request.trackingNumber)));
    if (match) return { externalId: String(match.id), alreadyOnMarketplace: true };

    const { body } = await this.http.json<{ fulfillment_orders: FulfillmentOrder[] }>({ path: `orders/${order}/fulfillment_orders.json` });
    const open = body.fulfillment_orders.filter((fo) => fo.status === 'open' || fo.status === 'in_progress');
    if (open.length === 0) throw new ExternalResponseError(`Shopify order ${order} has no open fulfillment orders: it is already fulfilled or cancelled on Shopify.`);
    const { body: created } = await this.http.json<{ fulfillment: ShopifyFulfillment }>({
      method: 'POST',
      path: 'fulfillments.json',
      body: {
        fulfillment: {
          line_items_by_fulfillment_order: open.map((fo) => ({ fulfillment_order_id: fo.id })),
          tracking_info: { number: request.trackingNumber, company: request.carrier, ...(request.trackingUrl ? { url: request.trackingUrl } : {}) },
          notify_customer: true,
        },
      },
    });
    return { externalId: String(created.fulfillment.id), alreadyOnMarketplace: false };
  }

  async publishProduct(content: ProductContent): Promise<{ externalProductId: string; created: boolean }> {
    const product = { title: content.title, body_html: productHtml(content), tags: content.tags.join(', ') };
    if (content.externalProductId) {
      await this.http.json({ method: 'PUT', path: `products/${content.externalProductId}.json`, body: { product: { id: Number(content.externalProductId), ...product } } });
      return { externalProductId: content.externalProductId, created: false };
    }
    const { body } = await this.http.json<{ product: { id: number } }>({
      method: 'POST',
      path: 'products.json',
      body: { product: { ...product, status: 'active', variants: [{ sku: content.sku, price: content.price, inventory_management: 'shopify' }] } },
    });
    return { externalProductId: String(body.product.id), created: true };
  }

  private async location(outcome: PushOutcome): Promise<string> {
    const known = this.options.locationId ?? this.options.knownLocations.get(this.options.shop);
    if (known) return known;
    outcome.calls++;
    const { body } = await this.http.json<{ locations: { id: number; active: boolean }[] }>({ path: 'locations.json' });
    const active = body.locations.find((l) => l.active);
    if (!active) throw new ExternalResponseError('The Shopify shop has no active location to set stock on; add one or set the marketplace\'s location_id.');
    this.options.knownLocations.set(this.options.shop, String(active.id));
    return String(active.id);
  }

  private async *pages<T>(path: string, key: string, query: Record<string, string | number>): AsyncGenerator<T[]> {
    let next: string | undefined = path;
    let first = true;
    while (next) {
      // After the first page Shopify takes only page_info and limit, both already in the link.
      const { body, headers }: { body: Record<string, T[]>; headers: Headers } = await this.http.json<Record<string, T[]>>({ path: next, query: first ? query : undefined });
      first = false;
      if (!Array.isArray(body?.[key])) throw new ExternalResponseError(`Shopify answered ${path} without "${key}"; is store_url the shop's address?`);
      yield body[key];
      next = nextLink(headers.get('link'));
    }
  }
}

/** The `rel="next"` URL of a Link header. */
export function nextLink(header: string | null): string | undefined {
  for (const part of header?.split(',') ?? []) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Waits when the shop's call bucket (`X-Shopify-Shop-Api-Call-Limit: used/size`) is nearly
 * full, for as long as it takes to drain below the margin at the shop's leak rate.
 */
export function shopifyBucketPause(leakPerSecond: number, margin = 4) {
  return async (response: Response) => {
    const match = /^(\d+)\/(\d+)$/.exec(response.headers.get('x-shopify-shop-api-call-limit') ?? '');
    if (!match) return;
    const [used, size] = [Number(match[1]), Number(match[2])];
    const excess = used - (size - margin);
    if (excess > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil((excess / leakPerSecond) * 1000)));
  };
}

function toOrder(order: ShopifyOrder): RemoteOrder {
  return {
    externalId: String(order.id),
    number: order.name,
    status: shopifyStatus(order),
    platformStatus: `${order.financial_status ?? 'unknown'}/${order.fulfillment_status ?? 'unfulfilled'}${order.cancelled_at ? '/cancelled' : ''}`,
    customerCountry: order.shipping_address?.country_code ?? order.billing_address?.country_code ?? null,
    currency: order.currency,
    subtotal: order.subtotal_price,
    total: order.total_price,
    placedAt: new Date(order.created_at),
    updatedAt: new Date(order.updated_at),
    lines: order.line_items.map((line) => ({ externalId: String(line.id), sku: line.sku || null, title: line.title, quantity: line.quantity, unitPrice: line.price })),
  };
}

function shopifyStatus(order: ShopifyOrder): OrderStatus {
  if (order.cancelled_at || order.financial_status === 'voided') return 'cancelled';
  if (order.financial_status === 'refunded') return 'refunded';
  if (order.fulfillment_status === 'fulfilled') return 'fulfilled';
  if (order.fulfillment_status === 'partial') return 'partially_fulfilled';
  if (order.financial_status === 'pending' || order.financial_status === null) return 'pending';
  return 'paid';
}
