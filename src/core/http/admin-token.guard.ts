import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../../config/app-config.js';

/** The dashboard keeps the admin token in this HttpOnly cookie after logging in. */
export const TOKEN_COOKIE = 'dropflow_token';

/** The bearer token of a request, or the dashboard's cookie. */
export function presentedToken(request: Pick<Request, 'headers'>): string {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  const cookie = (request.headers.cookie ?? '').split(';').map((part) => part.trim()).find((part) => part.startsWith(`${TOKEN_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(TOKEN_COOKIE.length + 1)) : '';
}

export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Admin HTTP requires `Authorization: Bearer <ADMIN_TOKEN>` (or the dashboard's cookie holding
 * it). Without a configured token the api role does not start, unless DROPFLOW_INSECURE_DEV=true
 * was set on purpose.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.admin.token;
    if (!expected) return this.config.admin.insecureDev;
    if (tokenMatches(presentedToken(context.switchToHttp().getRequest<Request>()), expected)) return true;
    throw new UnauthorizedException('A valid admin token is required: send "Authorization: Bearer <ADMIN_TOKEN>", or log in to the dashboard.');
  }
}
