import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many STORE_CURRENCY units one unit of `currency` is worth from `validFrom`, and where the rate came from. */
@Entity({ name: 'exchange_rates' })
export class ExchangeRate {
  @PrimaryColumn('char', { length: 3 }) currency!: string;
  @PrimaryColumn('date', { name: 'valid_from' }) validFrom!: string;
  @Column('numeric', { precision: 18, scale: 8 }) rate!: string;
  @Column('text') source!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
