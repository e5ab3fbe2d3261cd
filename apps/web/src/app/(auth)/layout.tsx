import Link from 'next/link';
import { LogoMark } from '@/components/icons';

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-[radial-gradient(ellipse_at_top,_var(--color-indigo-50),_var(--color-zinc-50)_60%)] px-4 py-12">
      <Link href="/" className="mb-8 flex items-center gap-2.5">
        <LogoMark className="size-9" />
        <span className="text-lg font-semibold tracking-tight text-zinc-900">Manifold</span>
      </Link>
      <div className="w-full max-w-sm">{children}</div>
      <p className="mt-10 text-xs text-zinc-400">Durable agent workflows over MCP servers</p>
    </div>
  );
}
