// A run value that may hold stored (claim-check) values: those show as a truncated preview with their size and
// a download of the whole value (the team-checked /app-api/runs/<id>/payloads/<payloadId>).
import type { PayloadPreview } from '@manifold/services';
import { JsonView } from '@/components/json-view';

function isPreview(value: unknown): value is PayloadPreview {
  return (
    typeof value === 'object' && value !== null && (value as { truncated?: unknown }).truncated === true && '$manifoldPayload' in value
  );
}

function previewsIn(value: unknown): PayloadPreview[] {
  const found: PayloadPreview[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    if (isPreview(current)) found.push(current);
    else stack.push(...(Array.isArray(current) ? current : Object.values(current)));
  }
  return found;
}

const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

export function StoredValueView({
  runId,
  value,
  className,
  testId,
}: {
  runId: string;
  value: unknown;
  className?: string;
  testId: string;
}) {
  const previews = previewsIn(value);
  if (previews.length === 0) return <JsonView value={value} {...(className ? { className } : {})} data-testid={testId} />;
  const top = isPreview(value) ? value : null;
  return (
    <div data-testid={`${testId}-stored`}>
      {top ? (
        <JsonView value={undefined} {...(className ? { className } : {})} data-testid={testId}>
          {`${top.preview}…`}
        </JsonView>
      ) : (
        <JsonView value={value} {...(className ? { className } : {})} data-testid={testId} />
      )}
      <ul className="mt-1 space-y-0.5 text-xs text-zinc-500">
        {previews.map((preview) => (
          <li key={preview.$manifoldPayload}>
            Stored value of {formatBytes(preview.bytes)}, shown truncated.{' '}
            <a
              className="font-medium text-zinc-900 underline"
              href={`/app-api/runs/${encodeURIComponent(runId)}/payloads/${encodeURIComponent(preview.$manifoldPayload)}`}
              download={`${preview.$manifoldPayload}.json`}
              data-testid="stored-value-download"
            >
              Download the whole value
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
