import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Query, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { WorkflowEngine } from './workflow-engine.js';
import type { ExecutionState } from './workflow.entities.js';
import { WorkflowsService } from './workflows.service.js';

class StartExecutionDto {
  @IsOptional() @IsObject() input?: Record<string, unknown>;
}

class ExecutionQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) workflow_id?: number;
  @IsOptional() @IsIn(['pending', 'running', 'succeeded', 'failed', 'cancelled']) state?: ExecutionState;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

/** Workflows and their executions. Definitions are validated by WorkflowValidator (400 naming the step). */
@Controller('api')
@UseGuards(AdminTokenGuard)
export class WorkflowsController {
  constructor(
    private readonly workflows: WorkflowsService,
    private readonly engine: WorkflowEngine,
  ) {}

  @Get('workflows')
  list() {
    return this.workflows.list();
  }

  @Post('workflows')
  create(@Body() body: Record<string, unknown>) {
    return this.workflows.save(body);
  }

  @Get('workflows/:id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.workflows.get(id);
  }

  @Put('workflows/:id')
  update(@Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>) {
    return this.workflows.save(body, { id });
  }

  @Delete('workflows/:id')
  @HttpCode(204)
  remove(@Param('id', ParseIntPipe) id: number) {
    return this.workflows.remove(id);
  }

  @Post('workflows/:id/executions')
  @HttpCode(202)
  start(@Param('id', ParseIntPipe) id: number, @Body() body: StartExecutionDto) {
    return this.workflows.start(id, body.input ?? {}, 'api');
  }

  @Get('workflow-executions')
  executions(@Query() query: ExecutionQuery) {
    return this.workflows.listExecutions({ workflowId: query.workflow_id, state: query.state, limit: query.limit, offset: query.offset });
  }

  @Get('workflow-executions/:id')
  execution(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.workflows.execution(id);
  }

  @Post('workflow-executions/:id/cancel')
  @HttpCode(200)
  cancel(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.engine.cancel(id);
  }

  @Post('workflow-executions/:id/retry')
  @HttpCode(202)
  retry(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.engine.retry(id);
  }
}
