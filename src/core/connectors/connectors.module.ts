import { Global, Module } from '@nestjs/common';
import { CredentialsCipher } from './credentials-cipher.js';
import { ExternalHttp } from './external-http.js';
import { RateLimiters } from './rate-limiters.js';

/** What every connector to an external system shares: HTTP with retries, per-account rate limits, encrypted credentials. */
@Global()
@Module({ providers: [CredentialsCipher, ExternalHttp, RateLimiters], exports: [CredentialsCipher, ExternalHttp, RateLimiters] })
export class ConnectorsModule {}
