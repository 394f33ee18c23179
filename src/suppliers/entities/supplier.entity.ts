import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SupplierKind = 'feed' | 'api';
export type SyncState = 'running' | 'succeeded' | 'failed';

@Entity({ name: 'suppliers' })
export class Supplier {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text', { unique: true }) name!: string;
  @Column('text') kind!: SupplierKind;
  /** How to reach and read the supplier; the shape depends on `kind` (see supplier-settings.ts). */
  @Column('jsonb') settings!: Record<string, unknown>;
  /** Encrypted with CREDENTIALS_KEY; never returned by the API. */
  @Column('text', { nullable: true, select: false }) credentials!: string | null;
  @Column('boolean', { name: 'is_active' }) isActive!: boolean;
  /** Start of the last successful sync: the next incremental sync asks for changes since then. */
  @Column('timestamptz', { name: 'sync_cursor', nullable: true }) syncCursor!: Date | null;
  @Column('timestamptz', { name: 'last_sync_at', nullable: true }) lastSyncAt!: Date | null;
  @Column('text', { name: 'last_sync_status', nullable: true }) lastSyncStatus!: SyncState | null;
  @Column('text', { name: 'last_sync_error', nullable: true }) lastSyncError!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
