import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { RedisModule } from '../redis/redis.module.js';
import { QUEUE_NAMES } from './queue-names.js';
import { QueueRegistry } from './queue-registry.js';

/**
 * Registers the six Bull queues once, on connections owned by RedisConnections. Registering a
 * queue never starts consuming it: the worker role does that explicitly (WorkerService).
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [RedisModule],
      inject: [AppConfig, RedisConnections],
      useFactory: (config: AppConfig, connections: RedisConnections) => ({
        prefix: config.redis.prefix,
        createClient: (type) => connections.forBull(type),
        settings: { lockDuration: config.worker.lockMs, stalledInterval: config.worker.stalledCheckMs, maxStalledCount: config.worker.maxStalledCount },
        defaultJobOptions: {
          attempts: config.tasks.defaultAttempts,
          backoff: { type: 'exponential', delay: config.tasks.backoffMs },
          removeOnComplete: config.tasks.keepCompleted,
          removeOnFail: config.tasks.keepFailed,
        },
      }),
    }),
    ...QUEUE_NAMES.map((name) =>
      BullModule.registerQueueAsync({
        name,
        inject: [AppConfig],
        useFactory: (config: AppConfig) => {
          const limiter = config.worker.rateLimits[name];
          return limiter ? { limiter } : {};
        },
      }),
    ),
  ],
  providers: [QueueRegistry],
  exports: [BullModule, QueueRegistry],
})
export class QueuesModule {}

