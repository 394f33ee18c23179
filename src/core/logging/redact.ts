/** Keys whose values are secrets wherever they appear: in logs, in task arguments shown, in errors. */
const SECRET_KEY = /pass(word)?|secret|token|api[_-]?key|authorization|credential|private[_-]?key|cookie/i;
export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Replaces the password in a connection URL, so the URL can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, `//$1:${REDACTED}@`);
  }
}

/** A deep copy of `value` with the values under secret-looking keys replaced. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, isSecretKey(key) && item != null ? REDACTED : redactSecrets(item)]),
    ) as T;
  }
  return value;
}

/** Pino's redact paths for the same keys, one and two levels deep. */
export const PINO_REDACT_PATHS = ['password', 'token', 'secret', 'apiKey', 'api_key', 'authorization', 'credentials', 'cookie']
  .flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
