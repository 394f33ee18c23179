import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Written in bulk by SupplierCatalogWriter; the entity serves reads and the API. */
@Entity({ name: 'supplier_products' })
export class SupplierProduct {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('int', { name: 'supplier_id' }) supplierId!: number;
  @Column('text') sku!: string;
  @Column('text') title!: string;
  @Column('text') description!: string;
  @Column('jsonb') images!: string[];
  /** numeric(12,2), kept as a string so no cent is lost to floating point. */
  @Column('numeric', { precision: 12, scale: 2 }) cost!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('int') stock!: number;
  @Column('jsonb') attributes!: Record<string, unknown>;
  /** Hash of the descriptive fields; stock and cost are compared directly. */
  @Column('text', { name: 'content_hash', select: false }) contentHash!: string;
  @Column('timestamptz', { name: 'first_seen_at' }) firstSeenAt!: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'discontinued_at', nullable: true }) discontinuedAt!: Date | null;
}
