import { pino, type DestinationStream, type Logger } from 'pino';
import type { SecretValueRegistry } from '@manifold/secrets';

/**
 * JSON logs; redaction is set once here for every child logger: by path (headers, env, tokens) and, as the
 * last line of defence, by value — any secret this process decrypted is replaced in the written line.
 */
export function createLogger(level: string, options: { secretValues?: SecretValueRegistry; destination?: DestinationStream } = {}): Logger {
  const { secretValues } = options;
  return pino(
    {
      level,
      base: { service: 'worker' },
      ...(secretValues ? { hooks: { streamWrite: (line: string) => secretValues.redactText(line) } } : {}),
      redact: { paths: ['*.headers', '*.env', '*.authorization', '*.password', '*.secret', '*.token'], censor: '[redacted]' },
    },
    options.destination,
  );
}
