import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../../config/app-config.js';

/**
 * Admin HTTP requires `Authorization: Bearer <ADMIN_TOKEN>`. Without a configured token the api
 * role does not start, unless DROPFLOW_INSECURE_DEV=true was set on purpose.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.expected = config.admin.token ? Buffer.from(config.admin.token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return this.config.admin.insecureDev;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
    if (given.length === this.expected.length && timingSafeEqual(given, this.expected)) return true;
    throw new UnauthorizedException('A valid admin token is required: send "Authorization: Bearer <ADMIN_TOKEN>".');
  }
}
