import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../../config/app-config.js';
import { presentedToken, tokenMatches } from '../http/admin-token.guard.js';
import { QueueRegistry } from '../queues/queue-registry.js';

export const BULL_BOARD_ROUTE = '/dashboard/queues';

/**
 * bull-board, for job-level inspection of the six queues, mounted on the api's Express app under
 * the dashboard and behind the same token. Mounted here rather than through @bull-board/nestjs,
 * which loads the ESM-only Nest 12 with require() and so cannot run under the test runner.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueRegistry,
  ) {}

  onModuleInit() {
    const server = new ExpressAdapter();
    server.setBasePath(BULL_BOARD_ROUTE);
    createBullBoard({ queues: this.queues.all().map(([, queue]) => new BullAdapter(queue)), serverAdapter: server, options: { uiConfig: { boardTitle: 'Dropflow queues' } } });
    const auth = (request: Request, response: Response, next: NextFunction) => {
      const expected = this.config.admin.token;
      if (expected ? tokenMatches(presentedToken(request), expected) : this.config.admin.insecureDev) return next();
      response.status(401).json({ statusCode: 401, message: 'Log in to the dashboard first.' });
    };
    this.adapterHost.httpAdapter.use(BULL_BOARD_ROUTE, auth, server.getRouter());
  }
}
