import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StepDefinition } from './workflow-definition.js';

@Entity({ name: 'workflows' })
export class Workflow {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text', { unique: true }) name!: string;
  @Column('text') description!: string;
  @Column('boolean') enabled!: boolean;
  @Column('text', { nullable: true }) cron!: string | null;
  @Column('text') timezone!: string;
  @Column('jsonb', { name: 'input_defaults' }) inputDefaults!: Record<string, unknown>;
  @Column('jsonb') steps!: StepDefinition[];
  /** Bumped on every change; an execution records the version it ran. */
  @Column('int') version!: number;
  @Column('timestamptz', { name: 'last_scheduled_for', nullable: true }) lastScheduledFor!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

export type ExecutionState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ExecutionTrigger = 'manual' | 'schedule' | 'api' | 'retry';

@Entity({ name: 'workflow_executions' })
export class WorkflowExecution {
  @PrimaryColumn('uuid') id!: string;
  @Column('int', { name: 'workflow_id' }) workflowId!: number;
  @Column('int', { name: 'workflow_version' }) workflowVersion!: number;
  /** The steps as they were when the execution started: later edits do not change a running execution. */
  @Column('jsonb') steps!: StepDefinition[];
  @Column('text') trigger!: ExecutionTrigger;
  @Column('jsonb') input!: Record<string, unknown>;
  @Column('text') state!: ExecutionState;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('timestamptz', { name: 'scheduled_for', nullable: true }) scheduledFor!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}

export type StepState = 'pending' | 'queued' | 'succeeded' | 'failed' | 'cancelled';

@Entity({ name: 'workflow_step_runs' })
export class StepRun {
  @PrimaryColumn('uuid', { name: 'execution_id' }) executionId!: string;
  @PrimaryColumn('text', { name: 'step_id' }) stepId!: string;
  @Column('text') task!: string;
  @Column('text') state!: StepState;
  /** Bumped when a retry runs the step again, so a late result of an earlier run is ignored. */
  @Column('int') generation!: number;
  @Column('int') attempts!: number;
  @Column('jsonb', { nullable: true }) result!: unknown;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('uuid', { name: 'task_run_id', nullable: true }) taskRunId!: string | null;
  @Column('timestamptz', { name: 'queued_at', nullable: true }) queuedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
