'use client';
// The team's minimum tier for servers used in workflows.
import { useActionState } from 'react';
import { TIERS, type Tier } from '@manifold/core';
import { FormAlert } from '@/components/form-alert';
import { IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { controlClasses } from '@/components/ui/input';
import { setMinTierAction } from './actions';

export function PolicyForm({ minTier }: { minTier: Tier }) {
  const [state, action] = useActionState(setMinTierAction, IDLE);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2 text-sm" data-testid="policy-form">
      <label htmlFor="min-tier" className="text-zinc-600">
        Workflows may use servers of tier
      </label>
      <select
        id="min-tier"
        name="minTier"
        defaultValue={state.values?.minTier ?? minTier}
        className={`${controlClasses()} h-8 w-36`}
        data-testid="policy-min-tier"
      >
        {TIERS.map((t) => (
          <option key={t} value={t}>
            {t === 'unverified' ? 'any' : `${t}+`}
          </option>
        ))}
      </select>
      <SubmitButton variant="secondary" size="sm" pendingLabel="Saving…" data-testid="policy-submit">
        Save
      </SubmitButton>
      <FormAlert state={state} fields={['minTier']} />
    </form>
  );
}
