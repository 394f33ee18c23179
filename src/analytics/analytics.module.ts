import { Module } from '@nestjs/common';

/** The analytics domain: its entities, connectors, services, tasks and controller live in this folder. */
@Module({})
export class AnalyticsModule {}
