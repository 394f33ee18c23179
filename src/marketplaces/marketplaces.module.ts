import { Module } from '@nestjs/common';

/** The marketplaces domain: its entities, connectors, services, tasks and controller live in this folder. */
@Module({})
export class MarketplacesModule {}
