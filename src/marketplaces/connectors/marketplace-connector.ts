import type { OrderStatus } from '../entities/order.entity.js';

export interface RemoteListing {
  productId: string;
  variantId: string;
  inventoryItemId: string | null;
  sku: string | null;
  title: string;
  price: string | null;
  status: string;
}

export interface RemoteOrderLine {
  externalId: string;
  sku: string | null;
  title: string;
  quantity: number;
  unitPrice: string;
}

export interface RemoteOrder {
  externalId: string;
  number: string;
  status: OrderStatus;
  platformStatus: string;
  customerCountry: string | null;
  currency: string;
  subtotal: string;
  total: string;
  placedAt: Date;
  updatedAt: Date;
  lines: RemoteOrderLine[];
}

export interface QuantityUpdate {
  listingId: string;
  productId: string;
  variantId: string;
  inventoryItemId: string | null;
  quantity: number;
}

export interface PushOutcome {
  /** Listing ids the marketplace accepted. */
  pushed: string[];
  failed: { listingId: string; error: string }[];
  /** HTTP calls made, so a caller can see that nothing was wasted. */
  calls: number;
}

export interface FulfilmentRequest {
  orderExternalId: string;
  trackingNumber: string;
  carrier: string;
  trackingUrl?: string;
}

export interface FulfilmentOutcome {
  externalId: string;
  /** The marketplace already had this shipment (an earlier attempt got through): nothing was created. */
  alreadyOnMarketplace: boolean;
}

export interface ProductContent {
  /** The marketplace product to update; a new product is created when absent. */
  externalProductId: string | null;
  title: string;
  description: string;
  bulletPoints: string[];
  tags: string[];
  sku: string;
  price: string;
}

/** One class per platform. Reads come in pages so a large shop never sits in memory at once. */
export interface MarketplaceConnector {
  listings(): AsyncIterable<RemoteListing[]>;
  /** Orders updated at or after `since` (every order when absent), oldest update first where the platform allows. */
  orders(since: Date | null): AsyncIterable<RemoteOrder[]>;
  pushQuantities(updates: QuantityUpdate[]): Promise<PushOutcome>;
  fulfil(request: FulfilmentRequest): Promise<FulfilmentOutcome>;
  /** Creates or updates a product's text (title, description, tags); returns its id on the marketplace. */
  publishProduct(content: ProductContent): Promise<{ externalProductId: string; created: boolean }>;
}

/** Description and bullet points as the HTML both platforms render. */
export function productHtml(content: ProductContent): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraphs = content.description.split(/\n{2,}/).map((p) => `<p>${escape(p.trim())}</p>`).join('');
  const bullets = content.bulletPoints.length ? `<ul>${content.bulletPoints.map((b) => `<li>${escape(b)}</li>`).join('')}</ul>` : '';
  return paragraphs + bullets;
}
