import { type ReactNode } from 'react';

/** What explains that a field's value is wrong: its element, and that element's id for aria-describedby. */
export interface FieldError {
  readonly id: string;
  readonly node: ReactNode;
}

/** Props of {@link Field}. */
export interface FieldProps {
  /** The control's DOM id: the label points at it. */
  readonly id: string;
  readonly label: ReactNode;
  /** The label's class (each surface styles its labels its own way; none leaves the attribute out). */
  readonly labelClassName?: string;
  /** Classes of the wrapper besides `field` (a narrower number field, …). */
  readonly className?: string;
  /** Ids outside the field that describe the control too, such as a hint shared by a group; read first. */
  readonly describedBy?: string;
  /** Help under the control, as `<p id="{id}-hint" class="subtle field-hint">`. */
  readonly help?: ReactNode;
  /** What is wrong, rendered last; leave it out while there is no element, so nothing points at a missing id. */
  readonly error?: FieldError;
  /** The control, given the ids that describe it (undefined when there are none). */
  readonly children: (describedBy: string | undefined) => ReactNode;
}

/**
 * One labelled field of a form, in the order every surface uses: label, control, help, error. It owns the wiring a
 * screen reader depends on (label for the control's id, aria-describedby naming the help and the error) so that each
 * form only says what its control is and what its error looks like.
 */
export function Field({ id, label, labelClassName, className, describedBy, help, error, children }: FieldProps) {
  const helpId = `${id}-hint`;
  const ids = [describedBy, help ? helpId : undefined, error?.id].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id} className={labelClassName}>
        {label}
      </label>
      {children(ids)}
      {help ? (
        <p id={helpId} className="subtle field-hint">
          {help}
        </p>
      ) : null}
      {error?.node}
    </div>
  );
}
