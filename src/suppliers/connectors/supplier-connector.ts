import type { RawRow } from './product-row.js';

export interface ConnectionCheck {
  ok: true;
  /** What was found, for the operator, e.g. "CSV feed readable: columns sku, title, cost, stock". */
  message: string;
}

/**
 * One class per kind of supplier. A connector reads records; it does not know about the
 * database. Errors are the three External* errors, with messages an operator can act on.
 */
export interface SupplierConnector {
  /** Whether `records({ updatedSince })` returns only changed records. */
  readonly supportsIncremental: boolean;
  /** Reads a little to prove the supplier is reachable, accepts the credentials and speaks the expected format. */
  testConnection(): Promise<ConnectionCheck>;
  /** Every product record (or those changed since `updatedSince`), streamed. */
  records(options?: { updatedSince?: Date }): AsyncIterable<RawRow>;
  /** Records with at least sku and stock or cost, for the inventory fast path. */
  inventoryRecords(): AsyncIterable<RawRow>;
}
