'use client';
// A timestamp in the reader's own time zone. The server render (and hydration) show UTC; the browser then
// switches to local time, so hydration never mismatches.
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

function format(iso: string, inBrowser: boolean, withSeconds: boolean) {
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hour12: false,
    ...(inBrowser ? {} : { timeZone: 'UTC', timeZoneName: 'short' }),
  };
  return new Intl.DateTimeFormat('en-GB', options).format(date);
}

export function LocalTime({ iso, withSeconds = false, className }: { iso: string | null; withSeconds?: boolean; className?: string }) {
  const inBrowser = useSyncExternalStore(subscribe, () => true, () => false);
  if (!iso) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} title={iso} className={className}>
      {format(iso, inBrowser, withSeconds)}
    </time>
  );
}
