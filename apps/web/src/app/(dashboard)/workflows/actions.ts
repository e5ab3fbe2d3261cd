'use server';
// Creating workflows and starting runs of them.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import type { FormState } from '@/components/form-state';
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

export async function triggerRunAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['input'] as const);
  const { acting } = await requireSession();
  const input = parseJson(values.input.trim() || '{}');
  if (!input.ok) return formError('The input is not valid JSON.', { input: [input.message] }, values);
  if (typeof input.value !== 'object' || input.value === null || Array.isArray(input.value))
    return formError('The input must be a JSON object.', { input: ['Use an object, e.g. {"message": "hi"}.'] }, values);
  let runId: string;
  try {
    ({ runId } = await services().runs.trigger(acting, { workflow: slug, input: input.value }, null));
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/runs');
  redirect(`/runs/${runId}`);
}
