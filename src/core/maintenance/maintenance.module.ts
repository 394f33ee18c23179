import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { BackupDatabaseTask } from './backup-database.task.js';
import { CleanupSystemLogsTask } from './cleanup-system-logs.task.js';
import { DatabaseMaintenanceTask } from './database-maintenance.task.js';
import { SystemHealthCheckTask } from './system-health-check.task.js';

/** The maintenance queue's tasks: health, logs, database, backups. */
@Module({
  imports: [HealthModule],
  providers: [SystemHealthCheckTask, CleanupSystemLogsTask, DatabaseMaintenanceTask, BackupDatabaseTask],
})
export class MaintenanceModule {}
