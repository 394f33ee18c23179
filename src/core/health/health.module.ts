import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthCheckRecord } from './health-check.entity.js';
import { HealthController } from './health.controller.js';
import { SystemHealthService } from './system-health.service.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), TypeOrmModule.forFeature([HealthCheckRecord])],
  controllers: [HealthController],
  providers: [SystemHealthService],
  exports: [SystemHealthService],
})
export class HealthModule {}
