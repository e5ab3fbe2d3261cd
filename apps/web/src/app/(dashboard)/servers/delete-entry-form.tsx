'use client';
// Deleting a team catalog entry takes two clicks: the first says what goes with it (its installations, when
// forced), the second deletes. The server still refuses (409) an entry in use unless "force" is ticked.
import { useActionState, useState } from 'react';
import { IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Button } from '@/components/ui/button';
import { deleteCatalogEntryAction } from './actions';

export function DeleteEntryForm({ slug, installedAs }: { slug: string; installedAs: string[] }) {
  const [state, action] = useActionState(deleteCatalogEntryAction.bind(null, slug), IDLE);
  const [isConfirming, setConfirming] = useState(false);
  if (!isConfirming)
    return (
      <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(true)} data-testid={`delete-entry-${slug}`}>
        Delete entry…
      </Button>
    );
  return (
    <form action={action} className="space-y-2 rounded-md bg-red-50 p-3" data-testid={`delete-entry-form-${slug}`}>
      <p className="text-xs text-red-800">
        Delete the team entry <span className="font-mono">{slug}</span> and its revision history?
        {installedAs.length > 0 && (
          <>
            {' '}
            It is installed as <span className="font-mono">{installedAs.join(', ')}</span>: tick the box to remove those installations too.
          </>
        )}
      </p>
      <div className="flex items-center gap-2">
        {installedAs.length > 0 && (
          <label className="flex items-center gap-1 text-xs text-zinc-700">
            <input type="checkbox" name="force" data-testid={`delete-entry-force-${slug}`} /> remove installations
          </label>
        )}
        <SubmitButton variant="danger" size="sm" pendingLabel="Deleting…" data-testid={`delete-entry-confirm-${slug}`}>
          Delete
        </SubmitButton>
        <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
      {state.status === 'error' && (
        <p role="alert" className="text-xs text-red-700" data-testid={`delete-entry-error-${slug}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
