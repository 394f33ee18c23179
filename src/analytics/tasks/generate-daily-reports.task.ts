import { Injectable } from '@nestjs/common';
import { IsISO8601, IsOptional } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { DailyReportService } from '../daily-report.service.js';

export class GenerateDailyReportsArguments {
  /** The business day (YYYY-MM-DD); yesterday in BUSINESS_TIMEZONE when omitted. */
  @IsOptional() @IsISO8601({ strict: true })
  date?: string;
}

@Injectable()
@Task({
  name: 'generate_daily_reports',
  queue: 'analytics',
  description: "One business day's orders, revenue, costs, fees, profit, top products and suppliers, stock, sync health and task failures; replaces that day's report",
  arguments: GenerateDailyReportsArguments,
  positional: ['date'],
})
export class GenerateDailyReportsTask implements TaskHandler<GenerateDailyReportsArguments> {
  constructor(private readonly daily: DailyReportService) {}

  run({ date }: GenerateDailyReportsArguments) {
    return this.daily.generate(date?.slice(0, 10));
  }
}
