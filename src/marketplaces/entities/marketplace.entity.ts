import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type Platform = 'shopify' | 'woocommerce';

@Entity({ name: 'marketplaces' })
export class Marketplace {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text', { unique: true }) name!: string;
  @Column('text') platform!: Platform;
  /** See marketplace-settings.ts. */
  @Column('jsonb') settings!: Record<string, unknown>;
  /** Encrypted with CREDENTIALS_KEY; never returned by the API. */
  @Column('text', { nullable: true, select: false }) credentials!: string | null;
  @Column('boolean', { name: 'is_active' }) isActive!: boolean;
  /** The latest order update seen: the next order sync asks for orders updated since then. */
  @Column('timestamptz', { name: 'orders_cursor', nullable: true }) ordersCursor!: Date | null;
  @Column('timestamptz', { name: 'listings_synced_at', nullable: true }) listingsSyncedAt!: Date | null;
  @Column('timestamptz', { name: 'orders_synced_at', nullable: true }) ordersSyncedAt!: Date | null;
  @Column('timestamptz', { name: 'inventory_pushed_at', nullable: true }) inventoryPushedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
