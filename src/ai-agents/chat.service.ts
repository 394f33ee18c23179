import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LessThan, type Repository } from 'typeorm';
import { NotFoundError } from '../core/errors.js';
import { MarketplacesService } from '../marketplaces/marketplaces.service.js';
import { SupplierCatalogService } from '../suppliers/supplier-catalog.service.js';
import { ChatMessage, ChatSession } from './entities/chat.entities.js';
import { FeedbackService } from './feedback.service.js';
import { AiProviders } from './providers/ai-providers.js';
import type { StoreSummary } from './providers/ai-provider.js';

/** The agent sees this many earlier messages of its session. */
const HISTORY = 20;

/** Chat sessions with the store's agent, which answers from a fresh summary of the store. */
@Injectable()
export class ChatService {
  constructor(
    @InjectRepository(ChatSession) private readonly sessions: Repository<ChatSession>,
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    private readonly catalog: SupplierCatalogService,
    private readonly marketplaces: MarketplacesService,
    private readonly feedback: FeedbackService,
    private readonly ai: AiProviders,
  ) {}

  async open(title?: string, provider?: string): Promise<ChatSession> {
    const now = new Date();
    const chosen = this.ai.resolve(provider);
    return this.sessions.save(this.sessions.create({ id: randomUUID(), title: title ?? `Chat ${now.toISOString().slice(0, 16).replace('T', ' ')}`, provider: chosen.name, createdAt: now, lastActivityAt: now }));
  }

  async list(limit = 50): Promise<ChatSession[]> {
    return this.sessions.find({ order: { lastActivityAt: 'DESC' }, take: limit });
  }

  async get(id: string): Promise<ChatSession & { messages: ChatMessage[] }> {
    const session = await this.find(id);
    return { ...session, messages: await this.messages.find({ where: { sessionId: id }, order: { id: 'ASC' } }) };
  }

  async send(id: string, content: string): Promise<{ reply: ChatMessage; tokens: number; cost: number }> {
    const session = await this.find(id);
    await this.messages.save(this.messages.create({ sessionId: id, role: 'user', content, createdAt: new Date() }));
    const history = (await this.messages.find({ where: { sessionId: id }, order: { id: 'DESC' }, take: HISTORY })).reverse();
    const store = await this.storeSummary();
    const answer = await this.ai.call('chat', (p) => p.reply(history.map((m) => ({ role: m.role, content: m.content })), store), session.provider);
    const now = new Date();
    const reply = await this.messages.save(this.messages.create({ sessionId: id, role: 'assistant', content: answer.value, createdAt: now }));
    await this.sessions.update(id, { lastActivityAt: now });
    return { reply, tokens: answer.tokensIn + answer.tokensOut, cost: answer.cost };
  }

  /** Deletes sessions idle for `days`, with their messages. */
  async cleanup(days: number): Promise<{ days: number; sessions_removed: number }> {
    const result = await this.sessions.delete({ lastActivityAt: LessThan(new Date(Date.now() - days * 86_400_000)) });
    return { days, sessions_removed: result.affected ?? 0 };
  }

  private async storeSummary(): Promise<StoreSummary> {
    const [products, orders, feedback] = await Promise.all([this.catalog.stockSummary(), this.marketplaces.orderSummary(7), this.feedback.overview()]);
    return { products, orders, feedback };
  }

  private async find(id: string): Promise<ChatSession> {
    const session = await this.sessions.findOneBy({ id });
    if (!session) throw new NotFoundError(`Chat session ${id} does not exist; "GET /api/ai/chat/sessions" lists them.`);
    return session;
  }
}
