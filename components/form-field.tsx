import type { ReactNode } from 'react';
import { FieldMessages } from './field-messages';

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
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
