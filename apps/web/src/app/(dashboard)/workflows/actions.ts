'use server';
// Creating, checking and editing workflows, and starting runs of them.
import { revalidatePath } from 'next/cache';
import { redirect, unstable_rethrow } from 'next/navigation';
import type { FieldError } from '@manifold/core';
import type { FormState } from '@/components/form-state';
import { asAppError } from '@/server/app-error';
import { formError, formStateFromError, formValues } from '@/server/form-state';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function createWorkflowAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['slug', 'name', 'description', 'definition'] as const);
  const { acting } = await requireSession();
  const definition = parseJson(values.definition);
  if (!definition.ok) return formError('The definition is not valid JSON.', { definition: [definition.message] }, values);
  const slug = values.slug.trim();
  try {
    await services().workflows.create(acting, {
      slug,
      name: values.name.trim(),
      ...(values.description.trim() ? { description: values.description.trim() } : {}),
      definition: definition.value,
    });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/workflows');
  redirect(`/workflows/${slug}`);
}

/** The editor's definition, as text: large enough for any real workflow, small enough to check on every keystroke pause. */
const MAX_DEFINITION_CHARS = 256 * 1024;

export interface DefinitionCheck {
  /** Problems saving would report, paths under `definition.`; empty when it would save. */
  errors: FieldError[];
  /** Set when the check itself could not run (not allowed, not JSON, too large). */
  message?: string;
}

/**
 * The editor's live validation against the current team's installed servers (unknown server or tool,
 * arguments against the tool's input schema, step references, expressions): the same checks saving runs.
 */
export async function checkDefinitionAction(text: unknown): Promise<DefinitionCheck> {
  const { acting } = await requireSession();
  if (typeof text !== 'string') return { errors: [], message: 'Send the definition as text.' };
  if (text.length > MAX_DEFINITION_CHARS)
    return { errors: [], message: `The definition is longer than ${MAX_DEFINITION_CHARS} characters.` };
  const definition = parseJson(text);
  if (!definition.ok) return { errors: [], message: definition.message };
  try {
    return { errors: await services().workflows.check(acting, definition.value) };
  } catch (error) {
    unstable_rethrow(error);
    const appError = asAppError(error);
    if (appError) return { errors: [], message: appError.message };
    throw error;
  }
}

/** Saves the editor's definition as a new version (the service behind `PUT /api/v1/workflows/:slug`). */
export async function updateWorkflowAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['name', 'description', 'definition'] as const);
  const { acting } = await requireSession();
  const definition = parseJson(values.definition);
  if (!definition.ok) return formError('The definition is not valid JSON.', { definition: [definition.message] }, values);
  try {
    await services().workflows.update(acting, slug, {
      ...(values.name.trim() ? { name: values.name.trim() } : {}),
      description: values.description.trim(),
      definition: definition.value,
    });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/workflows');
  revalidatePath(`/workflows/${slug}`);
  redirect(`/workflows/${slug}`);
}

export async function triggerRunAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const { idempotencyKey, ...values } = formValues(formData, ['input', 'idempotencyKey'] as const);
  const { acting } = await requireSession();
  const input = parseJson(values.input.trim() || '{}');
  if (!input.ok) return formError('The input is not valid JSON.', { input: [input.message] }, values);
  if (typeof input.value !== 'object' || input.value === null || Array.isArray(input.value))
    return formError('The input must be a JSON object.', { input: ['Use an object, e.g. {"message": "hi"}.'] }, values);
  let runId: string;
  try {
    // The form's key: a double click submits twice with one key, and makes one run.
    ({ runId } = await services().runs.trigger(acting, { workflow: slug, input: input.value }, idempotencyKey || null));
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/runs');
  redirect(`/runs/${runId}`);
}
