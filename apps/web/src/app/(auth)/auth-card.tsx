import { Card } from '@/components/ui/card';

export function AuthCard({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description: string;
  children: React.ReactNode;
  footer: React.ReactNode;
}) {
  return (
    <>
      <Card className="p-6 shadow-sm">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
        <p className="mt-1 mb-6 text-sm text-zinc-500">{description}</p>
        {children}
      </Card>
      <p className="mt-6 text-center text-sm text-zinc-500">{footer}</p>
    </>
  );
}
