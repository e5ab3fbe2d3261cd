// docs/workflow-schema.json is the published schema checked into the repository; it must match the zod source.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workflowDefinitionJsonSchema } from './workflow-definition';

const file = new URL('../../../docs/workflow-schema.json', import.meta.url);

describe('docs/workflow-schema.json', () => {
  it('is the JSON Schema generated from the zod definition schema (regenerate: WRITE_SCHEMA=1 npx vitest run workflow-schema-file)', async () => {
    const generated = `${JSON.stringify(workflowDefinitionJsonSchema(), null, 2)}\n`;
    if (process.env.WRITE_SCHEMA === '1') (await import('node:fs')).writeFileSync(file, generated);
    expect(readFileSync(file, 'utf8')).toBe(generated);
  });
});
