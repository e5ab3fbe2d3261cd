// Value-based redaction: replaces known secret values wherever they appear (a server echoing a token back,
// an error message quoting a header), in strings and in nested JSON values.
export const REDACTED = '[redacted]';

/** Values this short would redact ordinary text; secrets are never accepted that short (see the API schema). */
const MIN_REDACTABLE_LENGTH = 4;

export interface Redactor {
  redactText(text: string): string;
  redact<T>(value: T): T;
  readonly isEmpty: boolean;
}

function variants(value: string): string[] {
  // A value can reappear JSON-escaped inside a serialized string (quotes, backslashes, newlines).
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

export function createRedactor(values: Iterable<string>): Redactor {
  const needles = [...new Set([...values].filter((v) => v.length >= MIN_REDACTABLE_LENGTH).flatMap(variants))].sort(
    (a, b) => b.length - a.length,
  );
  const redactText = (text: string): string => {
    let out = text;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  };
  const redactValue = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (Array.isArray(value)) return value.map(redactValue);
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k), redactValue(v)]));
    return value;
  };
  return {
    isEmpty: needles.length === 0,
    redactText: (text) => (needles.length ? redactText(text) : text),
    redact: <T>(value: T): T => (needles.length ? (redactValue(value) as T) : value),
  };
}

/**
 * The process-wide set of secret values this process has decrypted, for the log stream's last-line redaction.
 * Bounded: the oldest values fall out first (they are also redacted at their source).
 */
export class SecretValueRegistry {
  private readonly values = new Set<string>();
  private redactor: Redactor = createRedactor([]);
  constructor(private readonly maxValues = 10_000) {}

  add(values: Iterable<string>): void {
    let changed = false;
    for (const value of values) {
      if (value.length < MIN_REDACTABLE_LENGTH || this.values.has(value)) continue;
      this.values.add(value);
      changed = true;
      if (this.values.size > this.maxValues) this.values.delete(this.values.values().next().value!);
    }
    if (changed) this.redactor = createRedactor(this.values);
  }

  redactText(text: string): string {
    return this.redactor.redactText(text);
  }
}
