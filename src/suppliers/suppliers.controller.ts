import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { TaskRunner } from '../core/tasks/task-runner.js';
import { CreateSupplierDto, ProductQuery, SyncSupplierDto, UpdateSupplierDto } from './supplier.dto.js';
import { SuppliersService } from './suppliers.service.js';

/** Suppliers, their products and sync runs; syncs are triggered by enqueueing their tasks (202 with the run id). */
@Controller('api')
@UseGuards(AdminTokenGuard)
export class SuppliersController {
  constructor(
    private readonly suppliers: SuppliersService,
    private readonly runner: TaskRunner,
  ) {}

  @Get('suppliers')
  list() {
    return this.suppliers.list();
  }

  @Post('suppliers')
  create(@Body() body: CreateSupplierDto) {
    return this.suppliers.create(body);
  }

  @Get('suppliers/:id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.suppliers.get(id);
  }

  @Patch('suppliers/:id')
  update(@Param('id', ParseIntPipe) id: number, @Body() body: UpdateSupplierDto) {
    return this.suppliers.update(id, body);
  }

  /** Deactivates: products, listings and orders keep their links. */
  @Delete('suppliers/:id')
  deactivate(@Param('id', ParseIntPipe) id: number) {
    return this.suppliers.deactivate(id);
  }

  @Get('suppliers/:id/sync-runs')
  syncRuns(@Param('id', ParseIntPipe) id: number) {
    return this.suppliers.syncRuns(id);
  }

  @Post('suppliers/:id/sync')
  @HttpCode(202)
  async sync(@Param('id', ParseIntPipe) id: number, @Body() body: SyncSupplierDto) {
    await this.suppliers.find(id);
    return this.runner.enqueue({ task: 'sync_supplier_products', kwargs: { supplier_id: id, force_full_sync: body.force_full_sync ?? false } });
  }

  @Post('suppliers/:id/inventory')
  @HttpCode(202)
  async inventory(@Param('id', ParseIntPipe) id: number) {
    await this.suppliers.find(id);
    return this.runner.enqueue({ task: 'update_supplier_inventory', kwargs: { supplier_id: id } });
  }

  @Post('suppliers/:id/test-connection')
  @HttpCode(202)
  async testConnection(@Param('id', ParseIntPipe) id: number) {
    await this.suppliers.find(id);
    return this.runner.enqueue({ task: 'test_supplier_connection', kwargs: { supplier_id: id } });
  }

  @Get('products')
  products(@Query() query: ProductQuery) {
    return this.suppliers.listProducts(query);
  }
}
