import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SupplierConnectors } from './connectors/supplier-connectors.js';
import { SupplierProductChange } from './entities/supplier-product-change.entity.js';
import { SupplierProduct } from './entities/supplier-product.entity.js';
import { SupplierSyncRun } from './entities/supplier-sync-run.entity.js';
import { Supplier } from './entities/supplier.entity.js';
import { SupplierCatalogService } from './supplier-catalog.service.js';
import { SupplierCatalogWriter } from './supplier-catalog.writer.js';
import { SupplierRetentionService } from './supplier-retention.service.js';
import { SupplierSyncService } from './supplier-sync.service.js';
import { SuppliersService } from './suppliers.service.js';
import { CleanupSupplierDataTask } from './tasks/cleanup-supplier-data.task.js';
import { SyncAllSuppliersTask } from './tasks/sync-all-suppliers.task.js';
import { SyncSupplierProductsTask } from './tasks/sync-supplier-products.task.js';
import { TestSupplierConnectionTask } from './tasks/test-supplier-connection.task.js';
import { UpdateSupplierInventoryTask } from './tasks/update-supplier-inventory.task.js';

/** Suppliers: their connectors, catalogues, syncs and the suppliers queue's tasks. */
@Module({
  imports: [TypeOrmModule.forFeature([Supplier, SupplierProduct, SupplierSyncRun, SupplierProductChange])],
  providers: [
    SupplierConnectors,
    SupplierCatalogWriter,
    SupplierCatalogService,
    SupplierRetentionService,
    SupplierSyncService,
    SuppliersService,
    SyncAllSuppliersTask,
    SyncSupplierProductsTask,
    TestSupplierConnectionTask,
    UpdateSupplierInventoryTask,
    CleanupSupplierDataTask,
  ],
  exports: [SuppliersService, SupplierCatalogService],
})
export class SuppliersModule {}
