import { loadConfig } from '../../src/config/app-config.js';
import { CredentialsCipher } from '../../src/core/connectors/credentials-cipher.js';
import { backoffMs, retryAfterMs } from '../../src/core/connectors/retry-after.js';
import { ConfigError } from '../../src/core/errors.js';
import { nextLink } from '../../src/marketplaces/connectors/shopify.connector.js';
import { contentHash, ProductRowMapper } from '../../src/suppliers/connectors/product-row.js';

describe('ProductRowMapper', () => {
  const mapper = new ProductRowMapper({ sku: 'SKU', title: 'Name', cost: 'Price', stock: 'Qty' }, ['Colour'], 'EUR');

  it('maps a row through its column mapping, with defaults and attribute columns', () => {
    expect(mapper.product({ SKU: ' A-1 ', Name: 'Mug', Price: '3.5', Qty: '7', Colour: 'red', images: 'https://a/1.jpg|https://a/2.jpg' })).toEqual({
      sku: 'A-1', title: 'Mug', description: '', images: ['https://a/1.jpg', 'https://a/2.jpg'], cost: '3.50', currency: 'EUR', stock: 7, attributes: { Colour: 'red' },
    });
  });

  it('says why a row is unusable', () => {
    expect(mapper.product({ Name: 'x', Price: '1', Qty: '1' })).toBe('no SKU (column "SKU")');
    expect(mapper.product({ SKU: 'a', Price: '1', Qty: '1' })).toBe('no title (column "Name")');
    expect(mapper.product({ SKU: 'a', Name: 'x', Price: '-1', Qty: '1' })).toContain('cost "-1" is not a non-negative amount');
    expect(mapper.product({ SKU: 'a', Name: 'x', Price: '1', Qty: '2.5' })).toContain('stock "2.5" is not a whole number');
    expect(mapper.product({ SKU: 'a', Name: 'x', Price: '1', Qty: '1', currency: 'euros' })).toContain('not an ISO 4217 code');
    expect(mapper.product({ SKU: 'a', Name: 'x', Price: '1', Qty: '1', attributes: '{bad' })).toBe('attributes are not a JSON object');
  });

  it('reads nested JSON fields by dotted path, and inventory rows need only SKU and stock or cost', () => {
    const nested = new ProductRowMapper({ title: 'info.name', cost: 'price.amount' });
    expect(nested.product({ sku: 'n', info: { name: 'Nested' }, price: { amount: 2 }, stock: 0 })).toMatchObject({ title: 'Nested', cost: '2.00', currency: 'USD' });
    expect(mapper.inventory({ SKU: 'a', Qty: '4' })).toEqual({ sku: 'a', stock: 4, cost: undefined });
    expect(mapper.inventory({ SKU: 'a' })).toBe('neither stock nor cost given');
  });

  it('hashes descriptive content only: a stock change does not change the hash', () => {
    const product = mapper.product({ SKU: 'a', Name: 'x', Price: '1', Qty: '1' });
    const restocked = mapper.product({ SKU: 'a', Name: 'x', Price: '1', Qty: '9' });
    const renamed = mapper.product({ SKU: 'a', Name: 'y', Price: '1', Qty: '1' });
    if (typeof product === 'string' || typeof restocked === 'string' || typeof renamed === 'string') throw new Error('unmapped');
    expect(contentHash(product)).toBe(contentHash(restocked));
    expect(contentHash(product)).not.toBe(contentHash(renamed));
  });
});

describe('HTTP helpers', () => {
  it('reads Retry-After as seconds (Shopify sends "2.0") or an HTTP date', () => {
    expect(retryAfterMs('2.0')).toBe(2000);
    expect(retryAfterMs('0.25')).toBe(250);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('backs off exponentially with jitter', () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const wait = backoffMs(attempt, 100);
      expect(wait).toBeGreaterThanOrEqual(75 * 2 ** attempt);
      expect(wait).toBeLessThanOrEqual(125 * 2 ** attempt);
    }
  });

  it('finds the next page in a Link header', () => {
    const header = '<https://shop/admin/api/2026-10/products.json?limit=250&page_info=abc>; rel="previous", <https://shop/admin/api/2026-10/products.json?limit=250&page_info=def>; rel="next"';
    expect(nextLink(header)).toBe('https://shop/admin/api/2026-10/products.json?limit=250&page_info=def');
    expect(nextLink('<https://x>; rel="previous"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

describe('CredentialsCipher', () => {
  const config = (key?: string) => loadConfig({ DROPFLOW_ENV_FILE: 'none', ...(key ? { CREDENTIALS_KEY: key } : {}) }, true);

  it('round-trips credentials without the plaintext in what is stored', () => {
    const cipher = new CredentialsCipher(config('ab'.repeat(32)));
    const stored = cipher.encrypt({ access_token: 'shpat_secret' });
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain('shpat_secret');
    expect(cipher.decrypt(stored)).toEqual({ access_token: 'shpat_secret' });
    expect(cipher.encrypt({ a: 'b' })).not.toBe(cipher.encrypt({ a: 'b' }));
  });

  it('says what to do when the key is missing or is not the one the credentials were saved with', () => {
    const stored = new CredentialsCipher(config('ab'.repeat(32))).encrypt({ token: 't' });
    expect(() => new CredentialsCipher(config('cd'.repeat(32))).decrypt(stored)).toThrow(/differs from the one they were saved with/);
    expect(() => new CredentialsCipher(config()).encrypt({ token: 't' })).toThrow(ConfigError);
    expect(() => loadConfig({ DROPFLOW_ENV_FILE: 'none', CREDENTIALS_KEY: 'short' }, true)).toThrow(/CREDENTIALS_KEY must be 64 hex characters.*\(got \(hidden\)\)/s);
  });
});
