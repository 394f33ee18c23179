import { Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { TaskRunner } from '../core/tasks/task-runner.js';
import { ExchangeRatesDto, MetricQuery, ReportQuery } from './analytics.dto.js';
import { ExchangeRatesService } from './exchange-rates.service.js';
import { ProfitabilityService } from './profitability.service.js';
import { csvCell, reportCsv, ReportsService } from './reports.service.js';

/** Reports (JSON or CSV), profitability series, exchange rates; generating is enqueueing the tasks. */
@Controller('api/analytics')
@UseGuards(AdminTokenGuard)
export class AnalyticsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly profitability: ProfitabilityService,
    private readonly rates: ExchangeRatesService,
    private readonly runner: TaskRunner,
  ) {}

  @Get('reports')
  list(@Query() query: ReportQuery) {
    return this.reports.list(query);
  }

  @Get('reports/:id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.reports.get(id);
  }

  @Get('reports/:id/download.json')
  async json(@Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const report = await this.reports.get(id);
    res.attachment(`${report.kind}-${report.key.replace(/[^\w-]/g, '_')}.json`).json(report);
  }

  @Get('reports/:id/download.csv')
  async csv(@Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const report = await this.reports.get(id);
    res.attachment(`${report.kind}-${report.key.replace(/[^\w-]/g, '_')}.csv`).type('text/csv').send(reportCsv(report));
  }

  /** `?format=csv` answers the page as CSV. */
  @Get('metrics')
  async metrics(@Query() query: MetricQuery, @Res({ passthrough: true }) res: Response) {
    const page = await this.profitability.series(query);
    if (query.format !== 'csv') return page;
    const fields = ['period', 'periodStart', 'dimension', 'dimensionId', 'label', 'currency', 'orders', 'units', 'revenue', 'cost', 'fees', 'shipping', 'grossProfit', 'margin'] as const;
    res.type('text/csv');
    return [fields.join(','), ...page.items.map((m) => fields.map((f) => csvCell(String(m[f] ?? ''))).join(','))].join('\n') + '\n';
  }

  /** Body: the task's arguments, e.g. {"date": "2026-11-24"}. */
  @Post('reports/daily')
  @HttpCode(202)
  daily(@Body() body: Record<string, unknown>) {
    return this.runner.enqueue({ task: 'generate_daily_reports', kwargs: body });
  }

  @Post('reports/supplier-performance')
  @HttpCode(202)
  suppliers(@Body() body: Record<string, unknown>) {
    return this.runner.enqueue({ task: 'generate_supplier_performance_report', kwargs: body });
  }

  @Post('reports/marketplace-performance')
  @HttpCode(202)
  marketplaces(@Body() body: Record<string, unknown>) {
    return this.runner.enqueue({ task: 'generate_marketplace_performance_report', kwargs: body });
  }

  @Post('metrics/calculate')
  @HttpCode(202)
  calculate(@Body() body: Record<string, unknown>) {
    return this.runner.enqueue({ task: 'calculate_profitability_metrics', kwargs: body });
  }

  @Get('exchange-rates')
  listRates() {
    return this.rates.list();
  }

  @Put('exchange-rates')
  @Header('cache-control', 'no-store')
  setRates(@Body() body: ExchangeRatesDto) {
    return this.rates.set(body.rates);
  }
}
