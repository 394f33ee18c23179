import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PeriodicTasksService } from '../core/scheduling/periodic-tasks.service.js';

/**
 * Workflows with a cron are started by schedule_workflow_executions, which the scheduler runs
 * every minute. The schedule is this module's own (setup-beat's defaults stay the ten of the
 * Celery installation); a scheduler creates it when missing and never changes an edited one.
 */
@Injectable()
export class WorkflowSchedule implements OnApplicationBootstrap {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly periodic: PeriodicTasksService,
  ) {}

  async onApplicationBootstrap() {
    if (!this.config.hasRole('scheduler')) return;
    await this.periodic.ensure({ name: 'Schedule Workflow Executions', task: 'schedule_workflow_executions', cron: '* * * * *', description: 'every minute' });
  }
}
