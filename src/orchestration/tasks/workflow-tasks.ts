import { Injectable } from '@nestjs/common';
import { IsInt, IsObject, IsOptional, IsUUID, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { WorkflowEngine } from '../workflow-engine.js';
import { WorkflowsService } from '../workflows.service.js';

export class ExecuteWorkflowArguments {
  @IsInt() @Min(1) workflow_id!: number;
  @IsOptional() @IsObject() input?: Record<string, unknown>;
}

@Injectable()
@Task({
  name: 'execute_workflow',
  queue: 'workflows',
  description: 'Start an execution of a workflow: its ready steps are enqueued to their own queues',
  arguments: ExecuteWorkflowArguments,
  positional: ['workflow_id', 'input'],
  attempts: 1,
})
export class ExecuteWorkflowTask implements TaskHandler<ExecuteWorkflowArguments> {
  constructor(private readonly workflows: WorkflowsService) {}

  async run({ workflow_id, input }: ExecuteWorkflowArguments) {
    const execution = await this.workflows.start(workflow_id, input ?? {}, 'manual');
    return { execution_id: execution.id, workflow_id, state: execution.state };
  }
}

@Injectable()
@Task({ name: 'schedule_workflow_executions', queue: 'workflows', description: 'Start every enabled workflow whose cron is due, once per due time', attempts: 1 })
export class ScheduleWorkflowExecutionsTask implements TaskHandler {
  constructor(private readonly workflows: WorkflowsService) {}

  run() {
    return this.workflows.startDue();
  }
}

export class RetryExecutionArguments {
  @IsUUID() execution_id!: string;
}

@Injectable()
@Task({
  name: 'retry_failed_workflow_execution',
  queue: 'workflows',
  description: 'Run the failed and never-run steps of an execution again, keeping succeeded steps\' results',
  arguments: RetryExecutionArguments,
  positional: ['execution_id'],
  attempts: 1,
})
export class RetryFailedWorkflowExecutionTask implements TaskHandler<RetryExecutionArguments> {
  constructor(private readonly engine: WorkflowEngine) {}

  async run({ execution_id }: RetryExecutionArguments) {
    const execution = await this.engine.retry(execution_id);
    return { execution_id, state: execution.state };
  }
}

export class CleanupExecutionsArguments {
  @IsOptional() @IsInt() @Min(1) days = 30;
}

@Injectable()
@Task({
  name: 'cleanup_old_executions',
  queue: 'workflows',
  description: 'Delete finished workflow executions and their step runs past retention; running ones are never touched',
  arguments: CleanupExecutionsArguments,
  positional: ['days'],
})
export class CleanupOldExecutionsTask implements TaskHandler<CleanupExecutionsArguments> {
  constructor(private readonly workflows: WorkflowsService) {}

  async run({ days }: CleanupExecutionsArguments) {
    return { days, deleted: await this.workflows.cleanup(days) };
  }
}
