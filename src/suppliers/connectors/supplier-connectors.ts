import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { CredentialsCipher, type Credentials } from '../../core/connectors/credentials-cipher.js';
import { ExternalHttp } from '../../core/connectors/external-http.js';
import { RateLimiters } from '../../core/connectors/rate-limiters.js';
import type { Supplier } from '../entities/supplier.entity.js';
import { ApiSupplierSettings, parseSupplierSettings, type SupplierSettings } from '../supplier-settings.js';
import { FeedConnector } from './feed.connector.js';
import { ProductRowMapper } from './product-row.js';
import { RestSupplierConnector } from './rest-supplier.connector.js';
import type { SupplierConnector } from './supplier-connector.js';

/** Builds the connector for a supplier from its kind, settings and decrypted credentials. */
@Injectable()
export class SupplierConnectors {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly cipher: CredentialsCipher,
    private readonly http: ExternalHttp,
    private readonly limiters: RateLimiters,
  ) {}

  /** `encryptedCredentials` is the stored column, which normal reads do not select. */
  connect(supplier: Supplier, encryptedCredentials: string | null, options: { maxRetries?: number } = {}): { connector: SupplierConnector; mapper: ProductRowMapper } {
    const settings = parseSupplierSettings(supplier.kind, supplier.settings);
    const credentials = this.cipher.decrypt(encryptedCredentials);
    const mapper = new ProductRowMapper(settings.columns, settings.attribute_columns, settings.currency);
    const baseUrl = settings instanceof ApiSupplierSettings ? settings.base_url : (settings.url ?? 'file:');
    const client = this.http.client({
      label: `Supplier "${supplier.name}"`,
      baseUrl,
      headers: authHeaders(credentials),
      maxRetries: options.maxRetries,
      limiter: this.limiters.for(`supplier:${supplier.id}`, settings.requests_per_second ?? this.config.connectors.requestsPerSecond.supplier_api),
    });
    const connector = settings instanceof ApiSupplierSettings ? new RestSupplierConnector(settings, client) : new FeedConnector(settings, this.config.catalog.feedDir, settings.url ? client : undefined, this.config.connectors.timeoutMs);
    return { connector, mapper };
  }

  settings(supplier: Supplier): SupplierSettings {
    return parseSupplierSettings(supplier.kind, supplier.settings);
  }
}

/** `token` is sent as a bearer token; `username` and `password` as HTTP Basic. */
function authHeaders(credentials: Credentials): Record<string, string> {
  if (credentials.token) return { authorization: `Bearer ${credentials.token}` };
  if (credentials.username) return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}` };
  return {};
}
