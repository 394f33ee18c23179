import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { NotFoundError } from '../core/errors.js';
import { pageOf, type Page, type PageQuery } from '../core/http/paging.js';
import { Report, type ReportKind } from './entities/report.entity.js';

/** Stored reports: saved (replacing the same kind and key), listed, read, and turned into CSV. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectRepository(Report) private readonly reports: Repository<Report>,
  ) {}

  async save(kind: ReportKind, key: string, periodStart: string, periodEnd: string, data: Record<string, unknown>): Promise<Report> {
    await this.reports
      .createQueryBuilder()
      .insert()
      .values({ kind, key, periodStart, periodEnd, currency: this.config.analytics.currency, data: data as object, generatedAt: new Date() })
      .orUpdate(['period_start', 'period_end', 'currency', 'data', 'generated_at'], ['kind', 'key'])
      .execute();
    return this.reports.findOneByOrFail({ kind, key });
  }

  async list(query: PageQuery & { kind?: ReportKind }): Promise<Page<Omit<Report, 'data'>>> {
    const qb = this.reports.createQueryBuilder('r').select(['r.id', 'r.kind', 'r.key', 'r.periodStart', 'r.periodEnd', 'r.currency', 'r.generatedAt'])
      .orderBy('r.period_start', 'DESC').addOrderBy('r.id', 'DESC').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.kind) qb.andWhere('r.kind = :kind', { kind: query.kind });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async get(id: number): Promise<Report> {
    const report = await this.reports.findOneBy({ id });
    if (!report) throw new NotFoundError(`Report ${id} does not exist; "GET /api/analytics/reports" lists them.`);
    return report;
  }
}

/**
 * A report as CSV: one row per value, `section,row,field,value`, so nested sections (top
 * products, per-marketplace rows) keep their place and a spreadsheet can pivot them.
 */
export function reportCsv(report: Report): string {
  const rows: string[][] = [['section', 'row', 'field', 'value']];
  for (const [section, value] of Object.entries(report.data)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item && typeof item === 'object') for (const [field, v] of Object.entries(item)) rows.push([section, String(i + 1), field, scalar(v)]);
        else rows.push([section, String(i + 1), '', scalar(item)]);
      });
    } else if (value && typeof value === 'object') {
      for (const [field, v] of Object.entries(value)) rows.push([section, '', field, scalar(v)]);
    } else {
      rows.push([section, '', '', scalar(value)]);
    }
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
