import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../http/admin-token.guard.js';
import { redactSecrets } from '../logging/redact.js';
import { TaskRegistry } from '../tasks/task-registry.js';
import { TaskRunner } from '../tasks/task-runner.js';
import { TaskRunsService } from '../tasks/task-runs.service.js';
import { RunTaskDto } from './run-task.dto.js';

/** Registered tasks and their runs: list, run now, enqueue, read a run. */
@Controller('api')
@UseGuards(AdminTokenGuard)
export class TasksController {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly runner: TaskRunner,
    private readonly runs: TaskRunsService,
  ) {}

  @Get('tasks')
  list() {
    return this.registry.list();
  }

  /** Enqueues the task: 202 with the run id; 400 for an unknown task or bad arguments, before anything is queued. */
  @Post('tasks/:name/enqueue')
  @HttpCode(202)
  enqueue(@Param('name') name: string, @Body() body: RunTaskDto) {
    return this.runner.enqueue({ task: name, args: body.args, kwargs: body.kwargs });
  }

  /** Runs the task in the API process and answers with its result. */
  @Post('tasks/:name/run')
  @HttpCode(200)
  run(@Param('name') name: string, @Body() body: RunTaskDto) {
    return this.runner.runNow({ task: name, args: body.args, kwargs: body.kwargs });
  }

  @Get('task-runs/:id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const run = await this.runs.find(id);
    if (!run) throw new NotFoundException(`No task run ${id}`);
    return { ...run, args: redactSecrets(run.args), kwargs: redactSecrets(run.kwargs) };
  }
}
