import { Module } from '@nestjs/common';

/** The ai-agents domain: its entities, connectors, services, tasks and controller live in this folder. */
@Module({})
export class AIAgentsModule {}
