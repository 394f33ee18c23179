import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { CredentialsCipher } from '../../core/connectors/credentials-cipher.js';
import { ExternalHttp } from '../../core/connectors/external-http.js';
import { RateLimiters } from '../../core/connectors/rate-limiters.js';
import type { Marketplace } from '../entities/marketplace.entity.js';
import { MarketplacesService } from '../marketplaces.service.js';
import { parseMarketplaceSettings, SHOPIFY_API_VERSION } from '../marketplace-settings.js';
import type { MarketplaceConnector } from './marketplace-connector.js';
import { shopifyBucketPause, ShopifyConnector } from './shopify.connector.js';
import { WooCommerceConnector } from './woocommerce.connector.js';

/** Builds the connector for a marketplace from its platform, settings and decrypted credentials. */
@Injectable()
export class MarketplaceConnectors {
  private readonly shopifyLocations = new Map<string, string>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly cipher: CredentialsCipher,
    private readonly http: ExternalHttp,
    private readonly limiters: RateLimiters,
    private readonly marketplaces: MarketplacesService,
  ) {}

  /** The marketplace, which must be active, and its connector. */
  async forActive(marketplaceId: number): Promise<{ marketplace: Marketplace; connector: MarketplaceConnector }> {
    const marketplace = await this.marketplaces.findActive(marketplaceId);
    return { marketplace, connector: await this.forMarketplace(marketplace) };
  }

  async forMarketplace(marketplace: Marketplace): Promise<MarketplaceConnector> {
    return this.connect(marketplace, await this.marketplaces.encryptedCredentials(marketplace.id));
  }

  private connect(marketplace: Marketplace, encryptedCredentials: string | null): MarketplaceConnector {
    const settings = parseMarketplaceSettings(marketplace.settings);
    const credentials = this.cipher.decrypt(encryptedCredentials);
    const rate = settings.requests_per_second ?? this.config.connectors.requestsPerSecond[marketplace.platform];
    const limiter = this.limiters.for(`${marketplace.platform}:${marketplace.id}`, rate);
    const store = settings.store_url.replace(/\/+$/, '');
    if (marketplace.platform === 'shopify') {
      const client = this.http.client({
        label: `Shopify shop "${marketplace.name}"`,
        baseUrl: `${store}/admin/api/${settings.api_version ?? SHOPIFY_API_VERSION}/`,
        headers: { 'x-shopify-access-token': credentials.access_token ?? '' },
        limiter,
        afterResponse: shopifyBucketPause(rate),
      });
      return new ShopifyConnector(client, { locationId: settings.location_id, pushConcurrency: settings.push_concurrency, knownLocations: this.shopifyLocations, shop: store });
    }
    const basic = Buffer.from(`${credentials.consumer_key ?? ''}:${credentials.consumer_secret ?? ''}`).toString('base64');
    const client = this.http.client({ label: `WooCommerce store "${marketplace.name}"`, baseUrl: `${store}/wp-json/wc/v3/`, headers: { authorization: `Basic ${basic}` }, limiter });
    return new WooCommerceConnector(client);
  }
}
