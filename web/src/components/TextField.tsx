import type { InputHTMLAttributes } from 'react';
import { FieldError } from './FieldError.tsx';

/** A labelled input with the server's message for it underneath. */
export function TextField({
  label,
  error,
  name,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  error?: string;
}) {
  const id = `field-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} {...input} />
      <FieldError message={error} />
    </div>
  );
}
