import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ReportKind = 'daily' | 'supplier_performance' | 'marketplace_performance';

/** A generated report. (kind, key) is unique: generating the same report again replaces it. */
@Entity({ name: 'reports' })
export class Report {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text') kind!: ReportKind;
  /** The day for a daily report; "<scope>:<days>:<last day>" for the performance reports. */
  @Column('text') key!: string;
  @Column('date', { name: 'period_start' }) periodStart!: string;
  @Column('date', { name: 'period_end' }) periodEnd!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'generated_at' }) generatedAt!: Date;
}
