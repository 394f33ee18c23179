import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A schedule that enqueues a task (Celery Beat's PeriodicTask, kept in Postgres). */
@Entity({ name: 'periodic_tasks' })
export class PeriodicTask {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text', { unique: true }) name!: string;
  @Column('text') task!: string;
  @Column('jsonb') args!: unknown[];
  @Column('jsonb') kwargs!: Record<string, unknown>;
  /** Enqueue to this queue instead of the task's own. */
  @Column('text', { nullable: true }) queue!: string | null;
  /** Five fields (minute precision) or six (seconds first). */
  @Column('text') cron!: string;
  @Column('text') timezone!: string;
  @Column('boolean') enabled!: boolean;
  /** Fires once, then disables itself. */
  @Column('boolean', { name: 'one_off' }) oneOff!: boolean;
  @Column('timestamptz', { name: 'start_time', nullable: true }) startTime!: Date | null;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column('timestamptz', { name: 'last_run_at', nullable: true }) lastRunAt!: Date | null;
  @Column('int', { name: 'total_run_count' }) totalRunCount!: number;
  @Column('text') description!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
