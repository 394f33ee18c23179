import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { ChatService } from '../chat.service.js';

export class CleanupAiSessionsArguments {
  @IsOptional() @IsInt() @Min(1)
  days = 30;
}

@Injectable()
@Task({
  name: 'cleanup_ai_sessions',
  queue: 'ai_processing',
  description: 'Delete chat sessions idle for N days, with their messages',
  arguments: CleanupAiSessionsArguments,
  positional: ['days'],
})
export class CleanupAiSessionsTask implements TaskHandler<CleanupAiSessionsArguments> {
  constructor(private readonly chat: ChatService) {}

  run({ days }: CleanupAiSessionsArguments) {
    return this.chat.cleanup(days);
  }
}
