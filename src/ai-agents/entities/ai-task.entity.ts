import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AiTaskKind = 'analyze_product' | 'generate_listing' | 'analyze_text';
export type AiTaskState = 'pending' | 'running' | 'succeeded' | 'failed';

/** One stored piece of AI work, created over the API and run by process_ai_task. */
@Entity({ name: 'ai_tasks' })
export class AiTask {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text') kind!: AiTaskKind;
  @Column('jsonb') input!: Record<string, unknown>;
  @Column('jsonb', { nullable: true }) output!: unknown;
  @Column('text') state!: AiTaskState;
  @Column('text', { nullable: true }) provider!: string | null;
  @Column('text', { nullable: true }) model!: string | null;
  @Column('int', { name: 'tokens_in' }) tokensIn!: number;
  @Column('int', { name: 'tokens_out' }) tokensOut!: number;
  @Column('numeric', { precision: 12, scale: 6 }) cost!: string;
  @Column('int', { name: 'latency_ms', nullable: true }) latencyMs!: number | null;
  @Column('text', { nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
