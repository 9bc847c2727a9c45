/** The server's message for one form field (`extensions.fieldErrors`), shown under it. */
export function FieldError({ message }: { message: string | undefined }) {
  return message ? (
    <p className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}
