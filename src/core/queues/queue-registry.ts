import { getQueueToken } from '@nestjs/bull';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { QUEUE_NAMES, type QueueName } from './queue-names.js';

/** The six Bull queues by name, for code that picks a queue at run time (task runner, worker, status). */
@Injectable()
export class QueueRegistry implements OnModuleInit {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  // Queue providers are async factories: they exist only once the modules are initialised.
  onModuleInit() {
    for (const name of QUEUE_NAMES) this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
  }

  get(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  all(): [QueueName, Queue][] {
    return [...this.queues.entries()];
  }
}
