import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A shipment of an order. "pending" while the marketplace is being told; "created" once it knows. */
@Entity({ name: 'marketplace_fulfilments' })
export class Fulfilment {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('bigint', { name: 'order_id' }) orderId!: string;
  @Column('text', { name: 'tracking_number' }) trackingNumber!: string;
  @Column('text') carrier!: string;
  @Column('text', { name: 'tracking_url', nullable: true }) trackingUrl!: string | null;
  @Column('text', { name: 'external_fulfilment_id', nullable: true }) externalFulfilmentId!: string | null;
  @Column('text') state!: 'pending' | 'created';
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}
