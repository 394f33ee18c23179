import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MetricPeriod = 'day' | 'week' | 'month';
export type MetricDimension = 'total' | 'marketplace' | 'supplier' | 'product';

/** One point of a profitability series: a period, a dimension value, its money. Amounts are exact decimals (strings). */
@Entity({ name: 'profitability_metrics' })
export class ProfitabilityMetric {
  @PrimaryColumn('text') period!: MetricPeriod;
  @PrimaryColumn('text') dimension!: MetricDimension;
  @PrimaryColumn('text', { name: 'dimension_id' }) dimensionId!: string;
  @PrimaryColumn('date', { name: 'period_start' }) periodStart!: string;
  @Column('text') label!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('int') orders!: number;
  @Column('int') units!: number;
  @Column('numeric', { precision: 14, scale: 2 }) revenue!: string;
  @Column('numeric', { precision: 14, scale: 2 }) cost!: string;
  @Column('numeric', { precision: 14, scale: 2 }) fees!: string;
  @Column('numeric', { precision: 14, scale: 2 }) shipping!: string;
  @Column('numeric', { name: 'gross_profit', precision: 14, scale: 2 }) grossProfit!: string;
  @Column('numeric', { precision: 8, scale: 4, nullable: true }) margin!: string | null;
  @Column('timestamptz', { name: 'computed_at' }) computedAt!: Date;
}
