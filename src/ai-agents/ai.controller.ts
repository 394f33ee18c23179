import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { NotFoundError } from '../core/errors.js';
import { TaskRunner } from '../core/tasks/task-runner.js';
import { CreateAiTaskDto } from './ai-task-input.js';
import { AiTasksService } from './ai-tasks.service.js';
import { AiUsageService } from './ai-usage.service.js';
import { AnalysisQuery, ChatMessageDto, DraftQuery, OpenSessionDto } from './ai.dto.js';
import { ChatService } from './chat.service.js';
import { FeedbackBatchDto, FeedbackQuery } from './feedback.dto.js';
import { FeedbackService } from './feedback.service.js';
import { ListingDraftsService } from './listing-drafts.service.js';
import { ProductAnalysisService } from './product-analysis.service.js';

/** AI tasks, analyses, listing drafts, customer feedback and chat. Batch work is enqueued (202 with the run id). */
@Controller('api')
@UseGuards(AdminTokenGuard)
export class AiController {
  constructor(
    private readonly tasks: AiTasksService,
    private readonly usage: AiUsageService,
    private readonly analyses: ProductAnalysisService,
    private readonly drafts: ListingDraftsService,
    private readonly feedback: FeedbackService,
    private readonly chat: ChatService,
    private readonly runner: TaskRunner,
  ) {}

  @Post('ai/tasks')
  @HttpCode(202)
  async createTask(@Body() body: CreateAiTaskDto) {
    const { task, runId } = await this.tasks.create(body.kind, body.input, body.provider);
    return { id: task.id, kind: task.kind, state: task.state, runId };
  }

  @Get('ai/tasks/:id')
  task(@Param('id', ParseIntPipe) id: number) {
    return this.tasks.get(id);
  }

  @Get('ai/usage')
  today() {
    return this.usage.today();
  }

  @Get('ai/analyses')
  listAnalyses(@Query() query: AnalysisQuery) {
    return this.analyses.list(query);
  }

  /** Body: analyze_product_descriptions' arguments. */
  @Post('ai/analyses/run')
  @HttpCode(202)
  runAnalyses(@Body() body: Record<string, unknown>) {
    return this.runner.enqueue({ task: 'analyze_product_descriptions', kwargs: body });
  }

  @Get('ai/drafts')
  listDrafts(@Query() query: DraftQuery) {
    return this.drafts.list(query);
  }

  /** Body: generate_marketplace_listings' arguments. */
  @Post('ai/drafts/generate')
  @HttpCode(202)
  generate(@Body() body: Record<string, unknown>) {
    return this.runner.enqueue({ task: 'generate_marketplace_listings', kwargs: body });
  }

  @Get('ai/drafts/:id')
  draft(@Param('id', ParseIntPipe) id: number) {
    return this.drafts.get(String(id));
  }

  @Post('ai/drafts/:id/approve')
  @HttpCode(200)
  approve(@Param('id', ParseIntPipe) id: number) {
    return this.drafts.approve(String(id));
  }

  @Post('ai/drafts/:id/reject')
  @HttpCode(200)
  reject(@Param('id', ParseIntPipe) id: number) {
    return this.drafts.reject(String(id));
  }

  /** Publishes an approved draft to its marketplace now, through the marketplace's connector. */
  @Post('ai/drafts/:id/publish')
  @HttpCode(200)
  publish(@Param('id', ParseIntPipe) id: number) {
    return this.drafts.publish(String(id));
  }

  @Post('feedback')
  ingest(@Body() body: FeedbackBatchDto) {
    return this.feedback.ingest(body.items);
  }

  @Get('feedback')
  listFeedback(@Query() query: FeedbackQuery) {
    return this.feedback.list(query);
  }

  /** Body: analyze_customer_feedback's arguments. */
  @Post('feedback/analyze')
  @HttpCode(202)
  analyzeFeedback(@Body() body: Record<string, unknown>) {
    return this.runner.enqueue({ task: 'analyze_customer_feedback', kwargs: body });
  }

  @Get('products/:id/feedback-summary')
  async feedbackSummary(@Param('id', ParseIntPipe) id: number) {
    const summary = await this.feedback.summary(String(id));
    if (!summary) throw new NotFoundError(`No analysed feedback for product ${id} yet; run analyze_customer_feedback.`);
    return summary;
  }

  @Post('ai/chat/sessions')
  openSession(@Body() body: OpenSessionDto) {
    return this.chat.open(body.title, body.provider);
  }

  @Get('ai/chat/sessions')
  sessions() {
    return this.chat.list();
  }

  @Get('ai/chat/sessions/:id')
  session(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.chat.get(id);
  }

  @Post('ai/chat/sessions/:id/messages')
  @HttpCode(200)
  send(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: ChatMessageDto) {
    return this.chat.send(id, body.content);
  }
}
