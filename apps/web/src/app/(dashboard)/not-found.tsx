import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function DashboardNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-lg p-6" data-testid="not-found">
      <h1 className="text-lg font-semibold text-zinc-900">Not found</h1>
      <p className="mt-2 text-sm text-zinc-600">It does not exist in this team. If you switched teams, it may belong to another one.</p>
      <Link href="/runs" className={buttonClasses({ variant: 'secondary', className: 'mt-5' })}>
        Back to runs
      </Link>
    </Card>
  );
}
