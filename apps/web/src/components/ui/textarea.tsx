import type { TextareaHTMLAttributes } from 'react';
import { cn } from './cn';
import { controlClasses } from './input';

export function Textarea({ className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const invalid = props['aria-invalid'] === true || props['aria-invalid'] === 'true';
  return (
    <textarea
      className={cn(controlClasses(invalid), 'py-2 font-mono text-[13px] leading-relaxed', className)}
      spellCheck={false}
      {...props}
    />
  );
}
