import { Injectable } from '@nestjs/common';
import { SystemHealthService } from '../health/system-health.service.js';
import { Task, type TaskHandler } from '../tasks/task.decorator.js';

@Injectable()
@Task({
  name: 'system_health_check',
  queue: 'maintenance',
  description: 'Check database, Redis, disk, memory, CPU load, workers and log size against thresholds; store and return the snapshot',
  attempts: 1,
})
export class SystemHealthCheckTask implements TaskHandler {
  constructor(private readonly health: SystemHealthService) {}

  run() {
    return this.health.check();
  }
}
