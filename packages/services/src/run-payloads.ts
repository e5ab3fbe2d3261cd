// Stored values (claim-check references) in what the run API and the dashboard show: the API resolves them
// to the values; the dashboard gets a truncated preview and the address of the whole value's download.
import { collectPayloadRefs, MissingPayloadError, replacePayloadRefs, resolvePayloadRefs, type LoadedPayload } from '@manifold/core';
import { listRunPayloadHeads, loadRunPayloads, type Database } from '@manifold/db';
import type { RunView } from './run-presenter';

/** Characters of a stored value the dashboard shows before "download". */
export const PAYLOAD_PREVIEW_CHARS = 4096;

export type PayloadMode = 'resolve' | 'preview';

/** A stored value as the dashboard shows it. */
export interface PayloadPreview {
  $manifoldPayload: string;
  bytes: number;
  truncated: true;
  /** The first PAYLOAD_PREVIEW_CHARS characters of its JSON text. */
  preview: string;
}

const stored = (run: RunView) => [run.input, run.output, ...run.steps.flatMap((step) => [step.input, step.output])];

export async function presentRunPayloads(db: Database, teamId: string, run: RunView, mode: PayloadMode): Promise<RunView> {
  const ids = [...new Set(stored(run).flatMap((value) => collectPayloadRefs(value).map((ref) => ref.$manifoldPayload)))];
  if (ids.length === 0) return run;
  if (mode === 'resolve') {
    // One read for every value the run names; only references inside stored values are read after it.
    const loaded: Map<string, LoadedPayload> = await loadRunPayloads(db, teamId, ids);
    const load = async (wanted: string[]) => {
      const missing = wanted.filter((id) => !loaded.has(id));
      for (const [id, payload] of await loadRunPayloads(db, teamId, missing)) loaded.set(id, payload);
      return loaded;
    };
    const [input, output, ...steps] = await Promise.all(
      [run.input, run.output, ...run.steps.map((step) => ({ input: step.input, output: step.output }))].map((value) =>
        // A value deleted meanwhile (its run was deleted) shows as its reference rather than failing the page.
        resolvePayloadRefs(value, load).catch((error: unknown) => {
          if (error instanceof MissingPayloadError) return value;
          throw error;
        }),
      ),
    );
    return {
      ...run,
      input: input as RunView['input'],
      output: output as RunView['output'],
      steps: run.steps.map((step, i) => ({ ...step, ...(steps[i] as Pick<typeof step, 'input' | 'output'>) })),
    };
  }
  const heads = new Map((await listRunPayloadHeads(db, teamId, ids, PAYLOAD_PREVIEW_CHARS)).map((head) => [head.id, head]));
  const replace = (value: unknown) =>
    replacePayloadRefs(value, (ref): PayloadPreview => {
      const head = heads.get(ref.$manifoldPayload);
      return { $manifoldPayload: ref.$manifoldPayload, bytes: head?.bytes ?? 0, truncated: true, preview: head?.head ?? '' };
    });
  return {
    ...run,
    input: replace(run.input) as RunView['input'],
    output: replace(run.output) as RunView['output'],
    steps: run.steps.map((step) => ({
      ...step,
      input: replace(step.input) as typeof step.input,
      output: replace(step.output) as typeof step.output,
    })),
  };
}
