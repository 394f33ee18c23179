import { ExpressAdapter } from '@bull-board/express';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../../config/app-config.js';
import { presentedToken, tokenMatches } from '../http/admin-token.guard.js';
import { QUEUE_NAMES } from '../queues/queue-names.js';
import { DashboardController } from './dashboard.controller.js';

/** The dashboard (api role), with bull-board under /dashboard/queues for job-level inspection, behind the same token. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        route: '/dashboard/queues',
        adapter: ExpressAdapter,
        boardOptions: { uiConfig: { boardTitle: 'Dropflow queues' } },
        middleware: (request: Request, response: Response, next: NextFunction) => {
          const expected = config.admin.token;
          if (expected ? tokenMatches(presentedToken(request), expected) : config.admin.insecureDev) return next();
          response.status(401).json({ statusCode: 401, message: 'Log in to the dashboard first.' });
        },
      }),
    }),
    BullBoardModule.forFeature(...QUEUE_NAMES.map((name) => ({ name, adapter: BullAdapter }))),
  ],
  controllers: [DashboardController],
})
export class DashboardModule {}
