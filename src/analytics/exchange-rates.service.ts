import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { UsageError } from '../core/errors.js';
import { ExchangeRate } from './entities/exchange-rate.entity.js';

/** The rate table orders in other currencies are converted with. Each rate says where it came from. */
@Injectable()
export class ExchangeRatesService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectRepository(ExchangeRate) private readonly rates: Repository<ExchangeRate>,
  ) {}

  async set(rates: { currency: string; valid_from: string; rate: string; source: string }[]): Promise<ExchangeRate[]> {
    const store = this.config.analytics.currency;
    const own = rates.filter((r) => r.currency === store);
    if (own.length > 0) throw new UsageError(`${store} is STORE_CURRENCY: its rate is always 1 and is not stored.`);
    await this.rates.upsert(rates.map((r) => ({ currency: r.currency, validFrom: r.valid_from, rate: r.rate, source: r.source, createdAt: new Date() })), ['currency', 'validFrom']);
    return this.list();
  }

  list(): Promise<ExchangeRate[]> {
    return this.rates.find({ order: { currency: 'ASC', validFrom: 'DESC' } });
  }
}
