import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from './workflow-defaults';
import { retryPolicySchema } from './workflow-definition';

describe('step defaults', () => {
  it('the plain default retry policy is what the schema fills in for an empty policy', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual(retryPolicySchema.parse({}));
  });
});
