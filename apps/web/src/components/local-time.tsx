'use client';
// A timestamp in the reader's own time zone. The server render (and hydration) show UTC; the browser then
// switches to local time, so hydration never mismatches.
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

const FORMATS = {
  /** 24 Nov 2026, 10:03 */
  datetime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  /** 24 Nov 2026, 10:03:51 */
  'datetime-seconds': { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  /** 10:03:51.212 */
  'time-ms': { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type TimeFormat = keyof typeof FORMATS;

export function LocalTime({
  iso,
  withSeconds = false,
  format,
  className,
}: {
  iso: string | null;
  withSeconds?: boolean;
  format?: TimeFormat;
  className?: string;
}) {
  const inBrowser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  if (!iso) return <span className={className}>—</span>;
  const options: Intl.DateTimeFormatOptions = {
    ...FORMATS[format ?? (withSeconds ? 'datetime-seconds' : 'datetime')],
    hour12: false,
    ...(inBrowser ? {} : { timeZone: 'UTC' }),
  };
  const text = new Intl.DateTimeFormat('en-GB', options).format(new Date(iso));
  return (
    <time dateTime={iso} title={iso} className={className}>
      {inBrowser ? text : `${text} UTC`}
    </time>
  );
}
