import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as is (a feed), instead of JSON. */
  raw?: string | Buffer;
  /** Send the headers and `raw`, then nothing more: a download that stalls. */
  stall?: boolean;
}

interface Fault {
  match: (request: RecordedRequest) => boolean;
  reply: Reply;
  times: number;
}

/**
 * A local HTTP server standing in for an external API in tests and the bench. Subclasses route
 * requests; this base records every request (so tests can assert on what was sent) and can
 * answer the next N matching requests with a fault (a 500, a 429 with Retry-After) before
 * routing resumes.
 */
export abstract class HttpEmulator {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.respond(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The next `times` requests whose path contains `pathPart` (any request when empty) get `reply`. */
  fail(pathPart: string, reply: Reply, times = 1): void {
    this.faults.push({ match: (r) => r.path.includes(pathPart), reply, times });
  }

  requestsTo(method: string, pathPart: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.includes(pathPart));
  }

  protected abstract route(request: RecordedRequest): Reply | Promise<Reply>;

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: text ? safeJson(text) : undefined };
    this.requests.push(request);
    const fault = this.faults.find((f) => f.times > 0 && f.match(request));
    let reply: Reply;
    if (fault) {
      fault.times--;
      reply = fault.reply;
    } else {
      try {
        reply = await this.route(request);
      } catch (error) {
        reply = { status: 500, body: { errors: String(error) } };
      }
    }
    const isRaw = reply.raw !== undefined;
    res.writeHead(reply.status ?? 200, { 'content-type': isRaw ? 'text/plain' : 'application/json', ...reply.headers });
    if (reply.stall) {
      res.write(reply.raw ?? '');
      return;
    }
    res.end(isRaw ? reply.raw : reply.body === undefined ? '' : JSON.stringify(reply.body));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
