import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change of a product's stock or cost, as a sync or inventory update saw it. */
@Entity({ name: 'supplier_product_changes' })
export class SupplierProductChange {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('bigint', { name: 'supplier_product_id' }) supplierProductId!: string;
  @Column('int', { name: 'sync_run_id', nullable: true }) syncRunId!: number | null;
  @Column('int', { name: 'old_stock', nullable: true }) oldStock!: number | null;
  @Column('int', { name: 'new_stock' }) newStock!: number;
  @Column('numeric', { name: 'old_cost', precision: 12, scale: 2, nullable: true }) oldCost!: string | null;
  @Column('numeric', { name: 'new_cost', precision: 12, scale: 2 }) newCost!: string;
  @Column('timestamptz', { name: 'changed_at' }) changedAt!: Date;
}
