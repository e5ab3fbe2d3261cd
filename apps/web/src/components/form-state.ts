// The state a form's server action returns (shared by server actions and the client forms that render it).

export interface FormState {
  status: 'idle' | 'error' | 'success';
  message?: string;
  /** Error messages by field path, e.g. `email`, `config.url`, `definition.steps[0].server`. */
  fieldErrors?: Record<string, string[]>;
  /** Submitted values, to refill the form after an error (never passwords). */
  values?: Record<string, string>;
}

export const IDLE: FormState = { status: 'idle' };

const isUnder = (path: string, field: string) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

/** The errors of one field, including nested paths under it (`definition` takes `definition.steps[0].id`). */
export function errorsFor(state: FormState, field: string): Array<{ path: string; message: string }> {
  return Object.entries(state.fieldErrors ?? {}).flatMap(([path, messages]) =>
    isUnder(path, field) ? messages.map((message) => ({ path, message })) : [],
  );
}

/** Errors whose paths match none of the form's fields: shown in the form's summary instead. */
export function unmatchedErrors(state: FormState, fields: readonly string[]): Array<{ path: string; message: string }> {
  return Object.entries(state.fieldErrors ?? {}).flatMap(([path, messages]) =>
    fields.some((f) => isUnder(path, f)) ? [] : messages.map((message) => ({ path, message })),
  );
}
