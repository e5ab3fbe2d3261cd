import type { Metadata } from 'next';
import Link from 'next/link';
import { TIERS } from '@manifold/core';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { controlClasses, Input } from '@/components/ui/input';
import { services } from '@/server/services';
import { requireSession, sessionCan } from '@/server/session';
import { formStateFromError } from '@/server/form-state';
import { AddCatalogEntry } from './add-catalog-entry';
import { PolicyForm } from './policy-form';
import { TierBadge } from './tier-badge';

export const metadata: Metadata = { title: 'Catalog · Manifold' };

type Search = { q?: string; tag?: string; transport?: string; tier?: string };

export default async function CatalogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const session = await requireSession();
  const { acting } = session;
  const query = Object.fromEntries(
    Object.entries(search).filter(([k, v]) => ['q', 'tag', 'transport', 'tier'].includes(k) && typeof v === 'string' && v !== ''),
  );
  let items: Awaited<ReturnType<ReturnType<typeof services>['catalog']['list']>>['items'] = [];
  let problem: string | null = null;
  try {
    items = (await services().catalog.list(acting, query)).items;
  } catch (error) {
    problem = formStateFromError(error).message ?? 'Invalid filter.';
  }
  // Unfiltered, the list above already holds every entry: no second query for the tag choices.
  const unfiltered = Object.keys(query).length === 0 && problem === null;
  const [everything, policy, alerts] = await Promise.all([
    unfiltered ? { items } : services().catalog.list(acting, {}),
    services().certification.policy(acting),
    services().certification.alerts(acting),
  ]);
  const allTags = [...new Set(everything.items.flatMap((s) => s.tags))].sort();
  const select = `${controlClasses()} h-9`;

  return (
    <>
      <PageHeader
        title="Catalog"
        description="MCP servers this team can install: public ones and the team's own, with their measured quality tier."
      />
      {alerts.length > 0 && (
        <div
          role="alert"
          className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
          data-testid="tier-alerts"
        >
          <p className="font-medium">Servers your team uses lost tier</p>
          <ul className="mt-1 list-disc pl-5">
            {alerts.map((a) => (
              <li key={a.id} data-testid="tier-alert">
                {a.serverSlug}: {a.fromTier} → {a.toTier}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="mb-4">
        <PolicyForm minTier={policy.minTier} />
      </div>
      <form method="get" className="mb-6 grid grid-cols-1 gap-2 sm:grid-cols-[1fr_repeat(3,10rem)_auto]" data-testid="catalog-filters">
        <Input
          name="q"
          placeholder="Search name, description, tag…"
          defaultValue={search.q ?? ''}
          aria-label="Search"
          data-testid="catalog-search"
        />
        <select name="tag" defaultValue={search.tag ?? ''} className={select} aria-label="Tag" data-testid="catalog-tag">
          <option value="">Any tag</option>
          {allTags.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <select
          name="transport"
          defaultValue={search.transport ?? ''}
          className={select}
          aria-label="Transport"
          data-testid="catalog-transport"
        >
          <option value="">Any transport</option>
          <option value="stdio">stdio</option>
          <option value="http">http</option>
        </select>
        <select name="tier" defaultValue={search.tier ?? ''} className={select} aria-label="Tier" data-testid="catalog-tier">
          <option value="">Any tier</option>
          {TIERS.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <button type="submit" className={buttonClasses({ variant: 'secondary' })} data-testid="catalog-filter-submit">
          Filter
        </button>
      </form>
      {problem && (
        <p role="alert" className="mb-4 text-sm text-red-700">
          {problem}
        </p>
      )}
      <ul className="grid grid-cols-1 gap-4 md:grid-cols-2" data-testid="catalog-list">
        {items.map((s) => (
          <li key={s.slug}>
            <Card className="h-full p-5" data-testid="catalog-item" data-slug={s.slug}>
              <div className="flex items-start justify-between gap-3">
                <Link href={`/catalog/${encodeURIComponent(s.slug)}`} className="font-medium text-zinc-900 hover:underline">
                  {s.name}
                </Link>
                <TierBadge tier={s.tier} />
              </div>
              <p className="mt-1 font-mono text-xs text-zinc-400">
                {s.slug} · {s.version}
              </p>
              <p className="mt-2 line-clamp-3 text-sm text-zinc-600">{s.description}</p>
              <div className="mt-3 flex flex-wrap gap-1.5">
                <Badge tone={s.transport === 'http' ? 'indigo' : 'neutral'}>{s.transport}</Badge>
                {s.visibility === 'team' && <Badge tone="amber">team</Badge>}
                {s.tags.map((t) => (
                  <Badge key={t}>{t}</Badge>
                ))}
              </div>
            </Card>
          </li>
        ))}
      </ul>
      {items.length === 0 && !problem && (
        <p className="text-sm text-zinc-500" data-testid="catalog-empty">
          No server matches these filters.
        </p>
      )}
      {/* A team entry's command is what the shared worker runs: owners and admins add them. */}
      {sessionCan(session, 'servers:manage') && <AddCatalogEntry />}
    </>
  );
}
