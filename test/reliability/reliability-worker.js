// A worker process with one task whose side effect can be counted: `rel_effect` records one row
// per run (keyed by the run id, so applying it twice is impossible) and counts every execution.
// Plain JS on the built dist/, so the reliability tests can kill it like any worker.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startServer } from '../../dist/bootstrap.js';
import { loadConfig } from '../../dist/config/app-config.js';
import { Task } from '../../dist/core/tasks/task.decorator.js';

class EffectTask {
  constructor(db) {
    this.db = db;
  }

  async run(_args, context) {
    await this.db.query('INSERT INTO rel_executions (run_id) VALUES ($1)', [context.runId]);
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.REL_WORK_MS ?? 5)));
    await this.db.query('INSERT INTO rel_effects (run_id) VALUES ($1) ON CONFLICT (run_id) DO NOTHING', [context.runId]);
    return { pid: process.pid };
  }
}
Task({ name: 'rel_effect', queue: 'maintenance', description: 'one counted side effect (reliability tests)', attempts: 10, backoffMs: 100 })(EffectTask);
Injectable()(EffectTask);
Reflect.defineMetadata('self:paramtypes', [{ index: 0, param: getDataSourceToken() }], EffectTask);

class ReliabilityTasksModule {}
Module({ providers: [EffectTask] })(ReliabilityTasksModule);

await startServer(loadConfig(), [ReliabilityTasksModule]);
