import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TASK_RUN_STATES = ['queued', 'started', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type TaskRunState = (typeof TASK_RUN_STATES)[number];
export type TaskRunMode = 'inline' | 'queued';

/**
 * One row per task run, inline or queued; retries update the same row. The row id is also the
 * Bull job id, so a run can be found from either side. Schema and indexes: database/migrations.
 */
@Entity({ name: 'task_runs' })
export class TaskRun {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') task!: string;
  @Column('text') queue!: string;
  @Column('text') mode!: TaskRunMode;
  @Column('jsonb') args!: unknown[];
  @Column('jsonb') kwargs!: Record<string, unknown>;
  @Column('text') state!: TaskRunState;
  /** Orders state changes that arrive out of order from different processes (see TaskHistoryWriter). */
  @Column('int', { name: 'state_seq' }) stateSeq!: number;
  @Column('jsonb', { nullable: true }) result!: unknown;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('text', { nullable: true }) stack!: string | null;
  @Column('int') attempts!: number;
  @Column('text', { nullable: true }) worker!: string | null;
  @Column('timestamptz', { name: 'queued_at' }) queuedAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
