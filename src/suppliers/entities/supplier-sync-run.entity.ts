import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SyncState } from './supplier.entity.js';

export type SupplierSyncKind = 'full' | 'incremental' | 'inventory';

/** A feed row that could not be used: where it was and why. */
export interface RowError {
  line: number;
  sku?: string;
  reason: string;
}

@Entity({ name: 'supplier_sync_runs' })
export class SupplierSyncRun {
  @PrimaryGeneratedColumn() id!: number;
  @Column('int', { name: 'supplier_id' }) supplierId!: number;
  @Column('text') kind!: SupplierSyncKind;
  @Column('text') state!: SyncState;
  @Column('uuid', { name: 'task_run_id', nullable: true }) taskRunId!: string | null;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('int') created!: number;
  @Column('int') updated!: number;
  @Column('int') unchanged!: number;
  @Column('int') discontinued!: number;
  @Column('int') failed!: number;
  /** The first rows that failed (see MAX_RECORDED_ROW_ERRORS); `failed` counts them all. */
  @Column('jsonb') errors!: RowError[];
  @Column('text', { nullable: true }) error!: string | null;
}
