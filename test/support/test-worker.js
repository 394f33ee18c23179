// A Dropflow server process with one extra, slow task (wf_sleep), for tests that kill a worker
// in the middle of a step. Plain JS on the built dist/, so it runs as its own process like
// `node dist/main.js`; decorators are applied as functions.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { startServer } from '../../dist/bootstrap.js';
import { loadConfig } from '../../dist/config/app-config.js';
import { Task } from '../../dist/core/tasks/task.decorator.js';

class SleepTask {
  async run() {
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.TEST_SLEEP_MS ?? 3000)));
    return { pid: process.pid };
  }
}
Task({ name: 'wf_sleep', queue: 'suppliers', description: 'sleeps TEST_SLEEP_MS (tests)' })(SleepTask);
Injectable()(SleepTask);

class TestTasksModule {}
Module({ providers: [SleepTask] })(TestTasksModule);

await startServer(loadConfig(), [TestTasksModule]);
