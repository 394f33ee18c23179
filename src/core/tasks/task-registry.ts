import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { UnknownTaskError } from '../errors.js';
import { describeArguments, type ArgumentDescription } from './task-arguments.js';
import { Task, type TaskHandler, type TaskOptions } from './task.decorator.js';

export interface RegisteredTask {
  options: TaskOptions<any>;
  handler: TaskHandler<any>;
}

/** Every task of the application, found once at boot from the @Task metadata of providers. */
@Injectable()
export class TaskRegistry implements OnModuleInit {
  private readonly tasks = new Map<string, RegisteredTask>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit() {
    for (const wrapper of this.discovery.getProviders({ metadataKey: Task.KEY })) {
      const options = this.discovery.getMetadataByDecorator(Task, wrapper) as TaskOptions<any>;
      if (!wrapper.instance || typeof (wrapper.instance as TaskHandler).run !== 'function') {
        throw new Error(`@Task "${options.name}" is on ${wrapper.name}, which has no run(args, context) method`);
      }
      const existing = this.tasks.get(options.name);
      if (existing) throw new Error(`Task "${options.name}" is declared twice: by ${existing.handler.constructor.name} and ${wrapper.name}`);
      this.tasks.set(options.name, { options, handler: wrapper.instance as TaskHandler });
    }
  }

  get(name: string): RegisteredTask {
    const task = this.tasks.get(name);
    if (!task) throw new UnknownTaskError(name, this.names());
    return task;
  }

  has(name: string): boolean {
    return this.tasks.has(name);
  }

  names(): string[] {
    return [...this.tasks.keys()].sort();
  }

  /** Name, queue, description and arguments of every task, sorted by queue then name. */
  list(): { name: string; queue: string; description: string; arguments: ArgumentDescription[]; positional: string[] }[] {
    return [...this.tasks.values()]
      .map(({ options }) => ({
        name: options.name,
        queue: options.queue,
        description: options.description,
        arguments: describeArguments(options),
        positional: options.positional ?? [],
      }))
      .sort((a, b) => a.queue.localeCompare(b.queue) || a.name.localeCompare(b.name));
  }
}
