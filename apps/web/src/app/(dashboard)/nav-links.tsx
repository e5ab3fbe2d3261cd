'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { PlusIcon, RunIcon, ServerIcon, WorkflowIcon } from '@/components/icons';
import { cn } from '@/components/ui/cn';

const LINKS = [
  { href: '/servers', label: 'Servers', Icon: ServerIcon },
  { href: '/catalog', label: 'Catalog', Icon: PlusIcon },
  { href: '/workflows', label: 'Workflows', Icon: WorkflowIcon },
  { href: '/runs', label: 'Runs', Icon: RunIcon },
] as const;

export function NavLinks({ orientation = 'vertical' }: { orientation?: 'vertical' | 'horizontal' }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={cn('flex gap-1', orientation === 'vertical' ? 'flex-col' : 'flex-row')}>
      {LINKS.map(({ href, label, Icon }) => {
        const isActive = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={isActive ? 'page' : undefined}
            data-testid={`${orientation === 'vertical' ? 'nav' : 'nav-mobile'}-${label.toLowerCase()}`}
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
