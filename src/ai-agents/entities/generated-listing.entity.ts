import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type DraftState = 'draft' | 'approved' | 'rejected' | 'published';

/** Listing text written for a product on a marketplace; published only once approved. */
@Entity({ name: 'generated_listings' })
export class GeneratedListing {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('int', { name: 'marketplace_id' }) marketplaceId!: number;
  @Column('bigint', { name: 'supplier_product_id' }) supplierProductId!: string;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text') title!: string;
  @Column('text') description!: string;
  @Column('jsonb', { name: 'bullet_points' }) bulletPoints!: string[];
  @Column('jsonb') tags!: string[];
  @Column('text') state!: DraftState;
  @Column('text') provider!: string;
  @Column('text') model!: string;
  @Column('text', { name: 'external_product_id', nullable: true }) externalProductId!: string | null;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
