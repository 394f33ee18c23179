import { Global, Module } from '@nestjs/common';
import { MonitorSampler } from './monitor-sampler.js';
import { StatusService } from './status.service.js';

/** The installation's status (queues, workers, scheduler, schedules), for the CLI and the API. */
@Global()
@Module({ providers: [StatusService, MonitorSampler], exports: [StatusService, MonitorSampler] })
export class StatusModule {}
