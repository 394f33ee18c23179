import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'chat_sessions' })
export class ChatSession {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') title!: string;
  @Column('text') provider!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'last_activity_at' }) lastActivityAt!: Date;
}

@Entity({ name: 'chat_messages' })
export class ChatMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'session_id' }) sessionId!: string;
  @Column('text') role!: 'user' | 'assistant';
  @Column('text') content!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
