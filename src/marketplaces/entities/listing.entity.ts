import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One sellable variant on a marketplace (a Shopify variant, a WooCommerce product or variation). */
@Entity({ name: 'marketplace_listings' })
export class Listing {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('int', { name: 'marketplace_id' }) marketplaceId!: number;
  @Column('text', { name: 'external_product_id' }) externalProductId!: string;
  @Column('text', { name: 'external_variant_id' }) externalVariantId!: string;
  /** Shopify's inventory item, which stock levels are set on. */
  @Column('text', { name: 'inventory_item_id', nullable: true }) inventoryItemId!: string | null;
  @Column('text', { nullable: true }) sku!: string | null;
  @Column('text') title!: string;
  @Column('numeric', { precision: 12, scale: 2, nullable: true }) price!: string | null;
  /** The platform's status, or "removed" once the marketplace no longer lists it. */
  @Column('text') status!: string;
  @Column('bigint', { name: 'supplier_product_id', nullable: true }) supplierProductId!: string | null;
  /** What Dropflow last set on the marketplace; the next push sends only listings whose quantity differs. */
  @Column('int', { name: 'quantity_pushed', nullable: true }) quantityPushed!: number | null;
  @Column('timestamptz', { name: 'pushed_at', nullable: true }) pushedAt!: Date | null;
  @Column('timestamptz', { name: 'synced_at' }) syncedAt!: Date;
}
