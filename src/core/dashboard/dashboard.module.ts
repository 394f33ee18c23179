import { Module } from '@nestjs/common';
import { BullBoardMount } from './bull-board.mount.js';
import { DashboardController } from './dashboard.controller.js';

/** The dashboard (api role), with bull-board under /dashboard/queues, behind the admin token. */
@Module({ controllers: [DashboardController], providers: [BullBoardMount] })
export class DashboardModule {}
