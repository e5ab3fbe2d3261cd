export function EmptyState({ title, children, ...props }: { title: string; children?: React.ReactNode; 'data-testid'?: string }) {
  return (
    <div className="flex flex-col items-center justify-center px-6 py-12 text-center" {...props}>
      <p className="text-sm font-medium text-zinc-900">{title}</p>
      {children && <div className="mt-1 max-w-md text-sm text-zinc-500">{children}</div>}
    </div>
  );
}
