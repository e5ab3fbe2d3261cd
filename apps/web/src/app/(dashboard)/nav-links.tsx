'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { KeyIcon, PlusIcon, RunIcon, ServerIcon, WorkflowIcon } from '@/components/icons';
import { cn } from '@/components/ui/cn';

const LINKS = [
  { href: '/servers', label: 'Servers', Icon: ServerIcon },
  { href: '/catalog', label: 'Catalog', Icon: PlusIcon },
  { href: '/workflows', label: 'Workflows', Icon: WorkflowIcon },
  { href: '/runs', label: 'Runs', Icon: RunIcon },
  { href: '/secrets', label: 'Secrets', Icon: KeyIcon },
  { href: '/settings/team', label: 'Team', Icon: ServerIcon },
  { href: '/settings/api-keys', label: 'API keys', Icon: WorkflowIcon, adminOnly: true },
  { href: '/settings/audit', label: 'Audit log', Icon: RunIcon, adminOnly: true },
  { href: '/docs/api', label: 'API docs', Icon: WorkflowIcon },
] as const;

/** `isAdmin` shows the admin pages' links (the pages check the role again). */
export function NavLinks({ orientation = 'vertical', isAdmin = false }: { orientation?: 'vertical' | 'horizontal'; isAdmin?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={cn('flex gap-1', orientation === 'vertical' ? 'flex-col' : 'flex-row')}>
      {LINKS.filter((link) => isAdmin || !('adminOnly' in link)).map(({ href, label, Icon }) => {
        const isActive = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={isActive ? 'page' : undefined}
            data-testid={`${orientation === 'vertical' ? 'nav' : 'nav-mobile'}-${label.toLowerCase().replace(' ', '-')}`}
            className={cn(
              'flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors',
              isActive ? 'bg-zinc-900 text-white' : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900',
            )}
          >
            <Icon className="size-4" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
