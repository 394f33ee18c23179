import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A description's quality, for one version (content hash) of a supplier product. */
@Entity({ name: 'product_analyses' })
export class ProductAnalysis {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('bigint', { name: 'supplier_product_id' }) supplierProductId!: string;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text') provider!: string;
  /** 0–100. */
  @Column('int') score!: number;
  @Column('int', { name: 'word_count' }) wordCount!: number;
  /** Flesch reading ease. */
  @Column('numeric', { precision: 6, scale: 2, nullable: true }) readability!: string | null;
  @Column('jsonb', { name: 'missing_attributes' }) missingAttributes!: string[];
  @Column('jsonb') keywords!: string[];
  @Column('jsonb') suggestions!: string[];
  @Column('timestamptz', { name: 'analyzed_at' }) analyzedAt!: Date;
}
