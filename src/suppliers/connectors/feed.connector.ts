import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { parserStream } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import type { ExternalHttpClient } from '../../core/connectors/external-http.js';
import { ExternalResponseError, ExternalUnavailableError, UsageError } from '../../core/errors.js';
import type { FeedSupplierSettings } from '../supplier-settings.js';
import type { RawRow } from './product-row.js';
import type { ConnectionCheck, SupplierConnector } from './supplier-connector.js';

/**
 * A product feed: CSV, a JSON array (optionally inside the document, at `json_path`) or JSON
 * Lines, over HTTP(S) or from a file inside SUPPLIER_FEED_DIR, gzipped or not. Streamed
 * record by record, so a feed of any size holds only the rows in flight in memory.
 */
export class FeedConnector implements SupplierConnector {
  readonly supportsIncremental = false;

  constructor(
    private readonly settings: FeedSupplierSettings,
    private readonly feedDir: string,
    /** Present when the feed is a URL. */
    private readonly http?: ExternalHttpClient,
    /** A download that sends nothing for this long is given up (and retried by the queue). */
    private readonly idleTimeoutMs = 30_000,
  ) {}

  async testConnection(): Promise<ConnectionCheck> {
    let rows = 0;
    let first: string[] = [];
    for await (const row of this.records()) {
      if ('error' in row) throw new ExternalResponseError(`The feed's record ${row.line} cannot be read: ${row.error}. Check the feed's format setting (${this.settings.format}).`);
      if (rows === 0) first = Object.keys(row.record);
      if (++rows >= 5) break;
    }
    return { ok: true, message: `${this.settings.format.toUpperCase()} feed readable (${this.where()}): ${rows} record(s) sampled, fields ${first.join(', ') || '(none)'}` };
  }

  records(): AsyncIterable<RawRow> {
    return this.read();
  }

  inventoryRecords(): AsyncIterable<RawRow> {
    return this.read();
  }

  private async *read(): AsyncGenerator<RawRow> {
    const source = await this.open();
    let broken: Error | undefined;
    source.on('error', (error) => (broken = error));
    try {
      if (this.settings.format === 'csv') yield* this.csv(source);
      else if (this.settings.format === 'jsonl') yield* this.jsonLines(source);
      else yield* this.json(source);
    } catch (error) {
      // A download that broke off is worth retrying; a feed that does not parse is not.
      if (broken) throw new ExternalUnavailableError(`The feed at ${this.where()} broke off while downloading (${broken.message}); the run will be retried.`);
      throw error;
    } finally {
      source.destroy();
    }
  }

  private async open(): Promise<Readable> {
    let stream: Readable;
    let name: string;
    if (this.settings.url) {
      const response = await this.http!.send({ path: this.settings.url });
      if (!response.body) throw new ExternalResponseError(`The feed at ${this.where()} answered with an empty body.`);
      stream = withIdleTimeout(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), this.idleTimeoutMs);
      name = new URL(this.settings.url).pathname;
    } else {
      const path = this.filePath();
      await stat(path).catch((error: NodeJS.ErrnoException) => {
        throw new ExternalUnavailableError(`The feed file ${path} cannot be read (${error.code}); check the supplier's path setting.`);
      });
      stream = createReadStream(path);
      name = path;
    }
    return name.endsWith('.gz') ? chain(stream, createGunzip()) : stream;
  }

  /** Refuses paths outside SUPPLIER_FEED_DIR: a supplier created over the API must not read the server's files. */
  private filePath(): string {
    const path = resolve(this.feedDir, this.settings.path!);
    const inside = relative(this.feedDir, path);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new UsageError(`The feed path ${this.settings.path} is outside SUPPLIER_FEED_DIR (${this.feedDir}); put the file there or change SUPPLIER_FEED_DIR.`);
    }
    return path;
  }

  private where(): string {
    if (this.settings.path) return this.settings.path;
    const url = new URL(this.settings.url!);
    return `${url.origin}${url.pathname}`;
  }

  private async *csv(source: Readable): AsyncGenerator<RawRow> {
    const skipped: RawRow[] = [];
    const parser = parse({
      columns: (header: string[]) => header.map((name) => name.trim()),
      delimiter: this.settings.delimiter ?? ',',
      bom: true,
      skip_empty_lines: true,
      info: true,
      skip_records_with_error: true,
    });
    parser.on('skip', (error: Error & { lines?: number; record?: number }) => {
      skipped.push({ line: error.record ?? error.lines ?? 0, error: `not valid CSV: ${error.message}` });
    });
    source.on('error', (error) => parser.destroy(error));
    source.pipe(parser);
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, unknown>; info: { records: number } }>) {
        while (skipped.length > 0) yield skipped.shift()!;
        yield { line: info.records, record };
      }
    } catch (error) {
      throw this.unreadable('CSV', error);
    }
    yield* skipped;
  }

  private async *jsonLines(source: Readable): AsyncGenerator<RawRow> {
    let line = 0;
    try {
      for await (const text of createInterface({ input: source, crlfDelay: Infinity })) {
        if (!text.trim()) continue;
        line++;
        try {
          const record = JSON.parse(text) as unknown;
          yield record && typeof record === 'object' && !Array.isArray(record) ? { line, record: record as Record<string, unknown> } : { line, error: 'not a JSON object' };
        } catch (error) {
          yield { line, error: `not valid JSON: ${(error as Error).message}` };
        }
      }
    } catch (error) {
      throw this.unreadable('JSON Lines', error);
    }
  }

  private async *json(source: Readable): AsyncGenerator<RawRow> {
    const stages = [parserStream(), ...(this.settings.json_path ? [pick.asStream({ filter: this.settings.json_path })] : []), streamArray.asStream()];
    const items = chain(source, ...stages);
    let line = 0;
    try {
      for await (const { value } of items as AsyncIterable<{ key: number; value: unknown }>) {
        line++;
        yield value && typeof value === 'object' && !Array.isArray(value) ? { line, record: value as Record<string, unknown> } : { line, error: 'not a JSON object' };
      }
    } catch (error) {
      throw this.unreadable('JSON', error);
    }
    if (line === 0 && this.settings.json_path) {
      // pick() matched nothing: the products are elsewhere in the document.
      throw new ExternalResponseError(`The JSON feed at ${this.where()} has no array at "${this.settings.json_path}"; check the supplier's json_path setting.`);
    }
  }

  private unreadable(format: string, error: unknown): Error {
    if (error instanceof ExternalUnavailableError || error instanceof ExternalResponseError) return error;
    return new ExternalResponseError(`The feed at ${this.where()} is not valid ${format}: ${(error as Error).message}. Check the supplier's format setting (${this.settings.format}) and the feed itself.`);
  }
}

/** Pipes the streams together and returns the last; an error anywhere destroys them all, so reading the last one rejects. */
function chain(source: Readable, ...stages: NodeJS.ReadWriteStream[]): Readable {
  return pipeline([source, ...stages] as unknown as [Readable, ...NodeJS.ReadWriteStream[]], () => undefined) as unknown as Readable;
}

/**
 * Passes the stream through a watchdog that fails it when no data arrives for `ms`: a stalled
 * download fails (and the queue retries it) instead of hanging the worker.
 */
function withIdleTimeout(stream: Readable, ms: number): Readable {
  const watchdog = new Transform({
    transform(chunk, _encoding, done) {
      timer.refresh();
      done(null, chunk);
    },
  });
  const timer = setTimeout(() => watchdog.destroy(new Error(`no data for ${ms / 1000} s`)), ms);
  watchdog.once('close', () => clearTimeout(timer));
  return chain(stream, watchdog);
}
