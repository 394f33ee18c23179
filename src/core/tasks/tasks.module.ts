import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskExecutor } from './task-executor.js';
import { TaskHistoryWriter } from './task-history.writer.js';
import { TaskRegistry } from './task-registry.js';
import { TaskRunner } from './task-runner.js';
import { TaskRun } from './task-run.entity.js';
import { TaskRunsService } from './task-runs.service.js';
import { TaskHooks } from './task-hooks.js';

/** The task registry, the runner and run history: how every domain module's tasks are found, started and recorded. */
@Global()
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([TaskRun])],
  providers: [TaskRegistry, TaskRunner, TaskExecutor, TaskHistoryWriter, TaskRunsService, TaskHooks],
  exports: [TaskRegistry, TaskRunner, TaskExecutor, TaskHistoryWriter, TaskRunsService, TaskHooks],
})
export class TasksModule {}
