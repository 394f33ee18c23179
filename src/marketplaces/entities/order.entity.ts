import { Column, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { OrderLine } from './order-line.entity.js';

/** Dropflow's order status, the same for every platform; `platformStatus` keeps the platform's own. */
export type OrderStatus = 'pending' | 'paid' | 'partially_fulfilled' | 'fulfilled' | 'cancelled' | 'refunded' | 'failed';

@Entity({ name: 'marketplace_orders' })
export class Order {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('int', { name: 'marketplace_id' }) marketplaceId!: number;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text', { name: 'order_number' }) orderNumber!: string;
  @Column('text') status!: OrderStatus;
  @Column('text', { name: 'platform_status' }) platformStatus!: string;
  @Column('char', { name: 'customer_country', length: 2, nullable: true }) customerCountry!: string | null;
  @Column('char', { length: 3 }) currency!: string;
  @Column('numeric', { precision: 12, scale: 2 }) subtotal!: string;
  @Column('numeric', { precision: 12, scale: 2 }) total!: string;
  @Column('timestamptz', { name: 'placed_at' }) placedAt!: Date;
  @Column('timestamptz', { name: 'remote_updated_at' }) remoteUpdatedAt!: Date;
  @Column('timestamptz', { name: 'synced_at' }) syncedAt!: Date;
  @OneToMany(() => OrderLine, (line) => line.order) lines?: Relation<OrderLine>[];
}
