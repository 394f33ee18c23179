import { Module, type DynamicModule } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import type { AppConfig } from '../config/app-config.js';
import type { LogService } from '../core/logging/log.service.js';
import { OrchestrationModule } from '../orchestration/orchestration.module.js';
import { MonitorCommand } from './monitor.command.js';
import { RunTaskCommand } from './run-task.command.js';
import { SetupBeatCommand } from './setup-beat.command.js';
import { StatusCommand } from './status.command.js';
import { UsageExitCodes } from './usage-exit-codes.js';
import { WORKFLOW_SUBCOMMANDS, WorkflowCommand } from './workflow.command.js';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig, log: LogService): DynamicModule {
    return { module: CliModule, imports: [AppModule.forRoot(config, log, { cli: true }), OrchestrationModule], providers: [RunTaskCommand, SetupBeatCommand, StatusCommand, MonitorCommand, WorkflowCommand, ...WORKFLOW_SUBCOMMANDS, UsageExitCodes] };
  }
}
