import type { InputHTMLAttributes } from 'react';
import { cn } from './cn';

export const controlClasses = (invalid?: boolean) =>
  cn(
    'block w-full rounded-md border bg-white px-3 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400',
    'focus:outline-2 focus:-outline-offset-1 disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500',
    invalid ? 'border-red-400 focus:outline-red-500' : 'border-zinc-300 focus:outline-indigo-600',
  );

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  const invalid = props['aria-invalid'] === true || props['aria-invalid'] === 'true';
  return <input className={cn(controlClasses(invalid), 'h-9', className)} {...props} />;
}
