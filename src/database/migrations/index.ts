import { CoreTables1764000000000 } from './1764000000000-core-tables.js';
import { PeriodicTasks1764100000000 } from './1764100000000-periodic-tasks.js';
import { Workflows1764200000000 } from './1764200000000-workflows.js';
import { SuppliersAndMarketplaces1764300000000 } from './1764300000000-suppliers-and-marketplaces.js';
import { AiAgents1764400000000 } from './1764400000000-ai-agents.js';
import { Analytics1764500000000 } from './1764500000000-analytics.js';
import { TaskRunSearch1764600000000 } from './1764600000000-task-run-search.js';
import { TaskRunUpdatedAt1764700000000 } from './1764700000000-task-run-updated-at.js';
import { SupplierProductsFillfactor1764800000000 } from './1764800000000-supplier-products-fillfactor.js';

/** Every migration, in order. Listed here rather than globbed so the build carries exactly these. */
export const MIGRATIONS = [CoreTables1764000000000, PeriodicTasks1764100000000, Workflows1764200000000, SuppliersAndMarketplaces1764300000000, AiAgents1764400000000, Analytics1764500000000, TaskRunSearch1764600000000, TaskRunUpdatedAt1764700000000, SupplierProductsFillfactor1764800000000];
