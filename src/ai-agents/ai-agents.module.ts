import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MarketplacesModule } from '../marketplaces/marketplaces.module.js';
import { SuppliersModule } from '../suppliers/suppliers.module.js';
import { AiBudgetPolicy } from './ai-budget.policy.js';
import { AiTasksService } from './ai-tasks.service.js';
import { AiUsageService } from './ai-usage.service.js';
import { ChatService } from './chat.service.js';
import { AiTask } from './entities/ai-task.entity.js';
import { ChatMessage, ChatSession } from './entities/chat.entities.js';
import { CustomerFeedback, ProductFeedbackSummary } from './entities/customer-feedback.entity.js';
import { GeneratedListing } from './entities/generated-listing.entity.js';
import { ProductAnalysis } from './entities/product-analysis.entity.js';
import { FeedbackService } from './feedback.service.js';
import { ListingDraftsService } from './listing-drafts.service.js';
import { ProductAnalysisService } from './product-analysis.service.js';
import { AiProviders } from './providers/ai-providers.js';
import { AnalyzeCustomerFeedbackTask } from './tasks/analyze-customer-feedback.task.js';
import { AnalyzeProductDescriptionsTask } from './tasks/analyze-product-descriptions.task.js';
import { CleanupAiSessionsTask } from './tasks/cleanup-ai-sessions.task.js';
import { GenerateMarketplaceListingsTask } from './tasks/generate-marketplace-listings.task.js';
import { ProcessAiTaskTask } from './tasks/process-ai-task.task.js';

/** AI agents: providers, description analysis, listing drafts, feedback sentiment, chat, and the ai_processing queue's tasks. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AiTask, ProductAnalysis, GeneratedListing, CustomerFeedback, ProductFeedbackSummary, ChatSession, ChatMessage]),
    SuppliersModule,
    MarketplacesModule,
  ],
  providers: [
    AiUsageService,
    AiProviders,
    AiBudgetPolicy,
    ProductAnalysisService,
    ListingDraftsService,
    FeedbackService,
    ChatService,
    AiTasksService,
    ProcessAiTaskTask,
    AnalyzeProductDescriptionsTask,
    GenerateMarketplaceListingsTask,
    AnalyzeCustomerFeedbackTask,
    CleanupAiSessionsTask,
  ],
  exports: [AiTasksService, ProductAnalysisService, ListingDraftsService, FeedbackService, ChatService, AiUsageService],
})
export class AIAgentsModule {}
