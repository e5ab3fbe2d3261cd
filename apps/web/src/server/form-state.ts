// What a server action hands back to its form: a message, errors by field path, and the values to refill.
import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { FormState } from '@/components/form-state';
import { asAppError } from './app-error';

export function formError(message: string, fieldErrors: Record<string, string[]> = {}, values: Record<string, string> = {}): FormState {
  return { status: 'error', message, fieldErrors, values };
}

/** Maps a thrown error to form state; Next's own control-flow errors (redirect, notFound) pass through. */
export function formStateFromError(error: unknown, values: Record<string, string> = {}): FormState {
  unstable_rethrow(error);
  const appError = asAppError(error);
  if (appError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const { path, message } of appError.options.fieldErrors ?? []) (fieldErrors[path] ??= []).push(message);
    return formError(appError.message, fieldErrors, values);
  }
  console.error(
    JSON.stringify({ level: 'error', msg: 'unhandled server action error', error: String(error instanceof Error ? error.stack : error) }),
  );
  return formError('Something went wrong on our side. The error was logged; try again in a moment.', {}, values);
}

/** Reads text fields from a form submission (missing fields read as ""). */
export function formValues<K extends string>(formData: FormData, keys: readonly K[]): Record<K, string> {
  const values = {} as Record<K, string>;
  for (const key of keys) {
    const value = formData.get(key);
    values[key] = typeof value === 'string' ? value : '';
  }
  return values;
}
