import { pino, type Logger } from 'pino';

/** JSON logs; redaction paths are set once here for every child logger. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'worker' },
    redact: { paths: ['*.headers', '*.env', '*.authorization', '*.password', '*.secret', '*.token'], censor: '[redacted]' },
  });
}
