import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type HealthStatus = 'ok' | 'warning' | 'critical';

export interface HealthCheckItem {
  status: HealthStatus;
  message: string;
  [detail: string]: unknown;
}

/** A stored system health snapshot (system_health_check). */
@Entity({ name: 'health_checks' })
export class HealthCheckRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('timestamptz', { name: 'checked_at' }) checkedAt!: Date;
  @Column('text') status!: HealthStatus;
  @Column('jsonb') checks!: Record<string, HealthCheckItem>;
}
