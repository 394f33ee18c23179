import { Injectable } from '@nestjs/common';
import { MarketplaceConnectors } from './connectors/marketplace-connectors.js';
import { LISTING_LIMITS, parseMarketplaceSettings } from './marketplace-settings.js';
import { MarketplacesService } from './marketplaces.service.js';

export interface PublishRequest {
  marketplaceId: number;
  supplierProductId: string;
  sku: string;
  cost: string;
  title: string;
  description: string;
  bulletPoints: string[];
  tags: string[];
}

/**
 * Puts listing text on a marketplace: updates the product the listing already points at, or
 * creates one priced at cost × the marketplace's price_markup. The next listing sync links it.
 */
@Injectable()
export class ListingPublisher {
  constructor(
    private readonly marketplaces: MarketplacesService,
    private readonly connectors: MarketplaceConnectors,
  ) {}

  async limits(marketplaceId: number) {
    const marketplace = await this.marketplaces.find(marketplaceId);
    const settings = parseMarketplaceSettings(marketplace.settings);
    const defaults = LISTING_LIMITS[marketplace.platform];
    return { titleMaxLength: settings.title_max_length ?? defaults.titleMaxLength, maxTags: settings.max_tags ?? defaults.maxTags };
  }

  async publish(request: PublishRequest): Promise<{ externalProductId: string; created: boolean }> {
    const { marketplace, connector } = await this.connectors.forActive(request.marketplaceId);
    const listing = await this.marketplaces.listingFor(request.marketplaceId, request.supplierProductId);
    const markup = parseMarketplaceSettings(marketplace.settings).price_markup;
    return connector.publishProduct({
      externalProductId: listing?.externalProductId ?? null,
      title: request.title,
      description: request.description,
      bulletPoints: request.bulletPoints,
      tags: request.tags,
      sku: request.sku,
      price: (Number(request.cost) * markup).toFixed(2),
    });
  }
}
