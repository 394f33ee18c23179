import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppConfig } from '../../config/app-config.js';
import { presentedToken, TOKEN_COOKIE, tokenMatches } from '../http/admin-token.guard.js';

const STATIC = join(dirname(fileURLToPath(import.meta.url)), 'static');
const require = createRequire(import.meta.url);

/** Every asset is served from this process: the dashboard works with no internet. */
const ASSETS: Record<string, { path: string; type: string }> = {
  'app.js': { path: join(STATIC, 'app.js'), type: 'text/javascript' },
  'app.css': { path: join(STATIC, 'app.css'), type: 'text/css' },
  // The UMD build is not in chart.js's exports map: found beside its main file instead.
  'chart.js': { path: join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript' },
};

/**
 * The dashboard: a login page, then one page of plain JavaScript over the admin API, updated
 * live by /api/events. Logging in puts the admin token in an HttpOnly cookie, which the API's
 * guard accepts as it accepts the bearer header.
 */
@Controller('dashboard')
export class DashboardController {
  private readonly files = new Map<string, string>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get()
  @Header('cache-control', 'no-store')
  page(@Req() request: Request, @Res() response: Response) {
    response.type('html').send(this.read(this.authorised(request) ? 'index.html' : 'login.html').replace('{{error}}', ''));
  }

  @Post('login')
  @HttpCode(200)
  login(@Body() body: { token?: string }, @Res() response: Response) {
    const expected = this.config.admin.token;
    if (!expected || !tokenMatches(String(body?.token ?? ''), expected)) {
      response.status(401).type('html').send(this.read('login.html').replace('{{error}}', '<p class="error">That token is not the admin token (ADMIN_TOKEN in .env).</p>'));
      return;
    }
    response.cookie(TOKEN_COOKIE, expected, { httpOnly: true, sameSite: 'strict', path: '/', secure: false }).redirect(303, '/dashboard');
  }

  @Post('logout')
  logout(@Res() response: Response) {
    response.clearCookie(TOKEN_COOKIE, { path: '/' }).redirect(303, '/dashboard');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() request: Request, @Res() response: Response) {
    const asset = ASSETS[file];
    if (!asset) throw new NotFoundException();
    if (file !== 'app.css' && !this.authorised(request)) {
      response.status(401).json({ statusCode: 401, message: 'Log in to the dashboard first.' });
      return;
    }
    response.type(asset.type).set('cache-control', 'private, max-age=300').send(this.read(asset.path));
  }

  private authorised(request: Request): boolean {
    const expected = this.config.admin.token;
    return expected ? tokenMatches(presentedToken(request), expected) : this.config.admin.insecureDev;
  }

  private read(name: string): string {
    let text = this.files.get(name);
    if (text === undefined) {
      text = readFileSync(name.startsWith('/') ? name : join(STATIC, name), 'utf8');
      this.files.set(name, text);
    }
    return text;
  }
}
