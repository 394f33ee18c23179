import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';
import { ConfigError } from '../errors.js';

export type Credentials = Record<string, string>;

const VERSION = 'v1';

/**
 * Encrypts the credentials of suppliers and marketplaces for storage (AES-256-GCM with
 * CREDENTIALS_KEY). The stored form is `v1.<iv>.<tag>.<ciphertext>`, base64url; the version
 * leaves room for rotating the scheme.
 */
@Injectable()
export class CredentialsCipher {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  encrypt(credentials: Credentials): string {
    const key = this.key();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  decrypt(stored: string | null): Credentials {
    if (!stored) return {};
    const [version, iv, tag, data] = stored.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new ConfigError(['Stored credentials are not in a form this version of Dropflow reads; save them again.']);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key(), Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')) as Credentials;
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(['Stored credentials cannot be decrypted with this CREDENTIALS_KEY: the key differs from the one they were saved with. Restore that key, or save the credentials again.']);
    }
  }

  private key(): Buffer {
    const key = this.config.connectors.credentialsKey;
    if (!key) throw new ConfigError(['CREDENTIALS_KEY is not set: supplier and marketplace credentials are encrypted with it. Generate one with "openssl rand -hex 32" and set it (npm start writes one to .env).']);
    return key;
  }
}
