import { Module, type DynamicModule } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import type { AppConfig } from '../config/app-config.js';
import type { LogService } from '../core/logging/log.service.js';
import { MonitorCommand } from './monitor.command.js';
import { RunTaskCommand } from './run-task.command.js';
import { SetupBeatCommand } from './setup-beat.command.js';
import { StatusCommand } from './status.command.js';
import { UsageExitCodes } from './usage-exit-codes.js';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig, log: LogService): DynamicModule {
    return { module: CliModule, imports: [AppModule.forRoot(config, log, { cli: true })], providers: [RunTaskCommand, SetupBeatCommand, StatusCommand, MonitorCommand, UsageExitCodes] };
  }
}
