import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { SuppliersController } from './suppliers.controller.js';
import { SuppliersModule } from './suppliers.module.js';

/** The suppliers REST API (api role only). */
@Module({ imports: [SuppliersModule], controllers: [SuppliersController], providers: [AdminTokenGuard] })
export class SuppliersHttpModule {}
