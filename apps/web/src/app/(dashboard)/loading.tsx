export default function Loading() {
  return (
    <div className="animate-pulse" aria-busy="true" aria-label="Loading">
      <div className="mb-2 h-7 w-48 rounded bg-zinc-200" />
      <div className="mb-8 h-4 w-80 rounded bg-zinc-100" />
      <div className="h-64 rounded-xl border border-zinc-200 bg-white" />
    </div>
  );
}
