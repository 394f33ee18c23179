import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Order } from './order.entity.js';

@Entity({ name: 'marketplace_order_lines' })
export class OrderLine {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('bigint', { name: 'order_id' }) orderId!: string;
  @ManyToOne(() => Order, (order) => order.lines, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'order_id' }) order?: Relation<Order>;
  @Column('text', { name: 'external_line_id' }) externalLineId!: string;
  @Column('text', { nullable: true }) sku!: string | null;
  @Column('text') title!: string;
  @Column('int') quantity!: number;
  @Column('numeric', { name: 'unit_price', precision: 12, scale: 2 }) unitPrice!: string;
  /** The linked supplier product's cost when the order was first seen: later cost changes do not rewrite margins. */
  @Column('numeric', { name: 'unit_cost', precision: 12, scale: 2, nullable: true }) unitCost!: string | null;
  @Column('bigint', { name: 'supplier_product_id', nullable: true }) supplierProductId!: string | null;
}
