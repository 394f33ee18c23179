import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CleanupOldExecutionsTask, ExecuteWorkflowTask, RetryFailedWorkflowExecutionTask, ScheduleWorkflowExecutionsTask } from './tasks/workflow-tasks.js';
import { StepRun, Workflow, WorkflowExecution } from './workflow.entities.js';
import { WorkflowEngine } from './workflow-engine.js';
import { WorkflowSchedule } from './workflow-schedule.js';
import { WorkflowValidator } from './workflow-validator.js';
import { WorkflowsService } from './workflows.service.js';

/** Workflows: durable DAGs of registered tasks, their executions and the workflows queue's tasks. */
@Module({
  imports: [TypeOrmModule.forFeature([Workflow, WorkflowExecution, StepRun])],
  providers: [
    WorkflowValidator,
    WorkflowEngine,
    WorkflowsService,
    WorkflowSchedule,
    ExecuteWorkflowTask,
    ScheduleWorkflowExecutionsTask,
    RetryFailedWorkflowExecutionTask,
    CleanupOldExecutionsTask,
  ],
  exports: [WorkflowsService, WorkflowEngine],
})
export class OrchestrationModule {}
