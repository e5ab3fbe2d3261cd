'use client';
import { usePathname } from 'next/navigation';
import { useRef } from 'react';
import { switchTeamAction } from './actions';

interface Team {
  id: string;
  name: string;
  role: string;
}

/** Shows the current team; with several teams, a select that switches on change. */
export function TeamSwitcher({ current, teams }: { current: Team; teams: Team[] }) {
  const pathname = usePathname();
  const form = useRef<HTMLFormElement>(null);
  return (
    <div className="flex min-w-0 items-center gap-2" data-testid="current-team" data-team-id={current.id}>
      <span
        className="flex size-6 shrink-0 items-center justify-center rounded-md bg-indigo-100 text-xs font-semibold text-indigo-700"
        aria-hidden
      >
        {current.name.slice(0, 1).toUpperCase()}
      </span>
      {teams.length > 1 ? (
        <form ref={form} action={switchTeamAction} className="min-w-0">
          <input type="hidden" name="returnTo" value={pathname} />
          <label htmlFor="team-switcher" className="sr-only">
            Team
          </label>
          <select
            id="team-switcher"
            name="teamId"
            defaultValue={current.id}
            onChange={() => form.current?.requestSubmit()}
            className="max-w-56 truncate rounded-md border-0 bg-transparent py-1 pr-7 pl-1 text-sm font-medium text-zinc-900 hover:bg-zinc-100 focus:outline-2 focus:outline-indigo-600"
            data-testid="team-switcher"
          >
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <noscript>
            <button type="submit">Switch</button>
          </noscript>
        </form>
      ) : (
        <span className="truncate text-sm font-medium text-zinc-900">{current.name}</span>
      )}
      <span className="hidden rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] font-medium text-zinc-500 sm:inline">{current.role}</span>
    </div>
  );
}
