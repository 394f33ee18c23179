import { Global, Module } from '@nestjs/common';
import { LogService } from './log.service.js';

/** Provides the process's LogService, built in main.ts/cli.ts before Nest starts so boot messages are logged too. */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(log: LogService) {
    return { module: LoggingModule, providers: [{ provide: LogService, useValue: log }], exports: [LogService], global: true };
  }
}
