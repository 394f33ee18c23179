import { Global, Module } from '@nestjs/common';
import { HeartbeatService } from './heartbeat.service.js';
import { WorkerDirectory } from './worker-directory.js';
import { WorkerService } from './worker.service.js';

/** Queue consumption and heartbeats (worker role only), and the directory of workers (every role). */
@Global()
@Module({
  providers: [WorkerService, HeartbeatService, WorkerDirectory],
  exports: [WorkerDirectory, WorkerService],
})
export class WorkersModule {}
