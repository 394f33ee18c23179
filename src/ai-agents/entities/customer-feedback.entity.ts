import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** What an aspect of a review (shipping, quality, price…) scored. */
export interface AspectSentiment {
  aspect: string;
  score: number;
  label: SentimentLabel;
}

@Entity({ name: 'customer_feedback' })
export class CustomerFeedback {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('int', { name: 'marketplace_id', nullable: true }) marketplaceId!: number | null;
  @Column('bigint', { name: 'order_id', nullable: true }) orderId!: string | null;
  @Column('bigint', { name: 'supplier_product_id', nullable: true }) supplierProductId!: string | null;
  @Column('text') text!: string;
  @Column('int', { nullable: true }) rating!: number | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('numeric', { name: 'sentiment_score', precision: 5, scale: 3, nullable: true }) sentimentScore!: string | null;
  @Column('text', { name: 'sentiment_label', nullable: true }) sentimentLabel!: SentimentLabel | null;
  @Column('jsonb', { nullable: true }) aspects!: AspectSentiment[] | null;
  @Column('text', { nullable: true }) provider!: string | null;
  @Column('timestamptz', { name: 'analyzed_at', nullable: true }) analyzedAt!: Date | null;
}

/** The roll-up of a product's analysed feedback. */
@Entity({ name: 'product_feedback_summaries' })
export class ProductFeedbackSummary {
  @PrimaryColumn('bigint', { name: 'supplier_product_id' }) supplierProductId!: string;
  @Column('int') reviews!: number;
  @Column('numeric', { name: 'average_score', precision: 5, scale: 3 }) averageScore!: string;
  @Column('numeric', { name: 'average_rating', precision: 3, scale: 2, nullable: true }) averageRating!: string | null;
  @Column('int') positive!: number;
  @Column('int') neutral!: number;
  @Column('int') negative!: number;
  /** Per aspect: mentions and average score. */
  @Column('jsonb') aspects!: Record<string, { mentions: number; score: number }>;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
