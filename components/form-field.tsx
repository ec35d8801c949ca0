import type { ReactNode } from 'react';

/** The attributes a control needs to be tied to its label, hint and error. */
export interface ControlProps {
  id: string;
  name: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  name: string;
  label: string;
  hint?: ReactNode;
  /** Shown beside the label, e.g. a character counter; also read as part of the description. */
  aside?: ReactNode;
  error?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/** Label + control + hint + error, wired together with aria-describedby. */
export function Field({ name, label, hint, aside, error, className, children }: FieldProps) {
  const id = `field-${name}`;
  const described = [aside ? `${id}-aside` : '', hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <div className="field-label-row">
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {aside ? (
          <span id={`${id}-aside`} className="field-aside">
            {aside}
          </span>
        ) : null}
      </div>
      {children({
        id,
        name,
        'aria-describedby': described || undefined,
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          <svg aria-hidden="true" viewBox="0 0 20 20" width="16" height="16" fill="currentColor">
            <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-.9 4h1.8v5.2H9.1V6Zm0 6.8h1.8v1.8H9.1v-1.8Z" />
          </svg>
          {error}
        </p>
      ) : null}
    </div>
  );
}
