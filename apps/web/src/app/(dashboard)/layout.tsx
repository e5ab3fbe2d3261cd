import Link from 'next/link';
import { LogoMark } from '@/components/icons';
import { Button } from '@/components/ui/button';
import { requireSession, sessionCan } from '@/server/session';
import { signOutAction } from './actions';
import { NavLinks } from './nav-links';
import { TeamSwitcher } from './team-switcher';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession();
  return (
    <div className="flex min-h-screen">
      <div className="hidden w-60 shrink-0 border-r border-zinc-200 bg-white md:block">
        <aside className="sticky top-0 flex h-screen flex-col">
          <Link href="/runs" className="flex h-14 items-center gap-2.5 border-b border-zinc-100 px-5">
            <LogoMark className="size-7" />
            <span className="font-semibold tracking-tight text-zinc-900">Manifold</span>
          </Link>
          <div className="flex-1 px-3 py-4">
            <NavLinks isAdmin={sessionCan(session, 'audit:read')} />
          </div>
          <div className="border-t border-zinc-100 px-5 py-4 text-xs text-zinc-500">
            <p className="truncate" title={session.email} data-testid="user-email">
              {session.email}
            </p>
          </div>
        </aside>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-10 flex h-14 items-center justify-between gap-4 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur sm:px-6">
          <div className="flex min-w-0 items-center gap-3">
            <Link href="/runs" className="md:hidden" aria-label="Manifold">
              <LogoMark className="size-7" />
            </Link>
            <TeamSwitcher current={session.team} teams={session.teams.map((t) => ({ id: t.id, name: t.name, role: t.role }))} />
          </div>
          <div className="flex items-center gap-3">
            <span className="hidden text-sm text-zinc-500 sm:inline md:hidden">{session.email}</span>
            <form action={signOutAction}>
              <Button type="submit" variant="ghost" size="sm" data-testid="sign-out">
                Sign out
              </Button>
            </form>
          </div>
        </header>
        <div className="border-b border-zinc-200 bg-white px-3 py-2 md:hidden">
          <NavLinks orientation="horizontal" isAdmin={sessionCan(session, 'audit:read')} />
        </div>
        <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6 lg:px-10">{children}</main>
      </div>
    </div>
  );
}
