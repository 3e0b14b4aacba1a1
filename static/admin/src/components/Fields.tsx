import Textfield from '@atlaskit/textfield';
import { type ReactNode, useEffect, useState } from 'react';
import { fieldId, type Problems } from '../problems';

/** What every section needs of the form: where problems are, and whether the reader may change anything. */
export interface FormApi {
  readonly problems: Problems;
  readonly readOnly: boolean;
}

/** The problems of one field, where a screen reader finds them (aria-describedby) and announces new ones. */
export function FieldProblems({ form, path }: { readonly form: FormApi; readonly path: string }) {
  const list = form.problems.get(path) ?? [];
  return (
    <div id={`${fieldId(path)}-problems`} className="field-problems" aria-live="polite">
      {list.map((message) => (
        <p key={message} className="field-error">
          {message}
        </p>
      ))}
    </div>
  );
}

interface InputProps {
  readonly form: FormApi;
  readonly path: string;
  readonly label: string;
  readonly hint?: ReactNode;
  /** Visually hidden label, for inputs inside a table whose header already says what they are. */
  readonly hiddenLabel?: boolean;
}

function describedBy(path: string, hint: ReactNode | undefined): string {
  return [hint ? `${fieldId(path)}-hint` : '', `${fieldId(path)}-problems`].filter(Boolean).join(' ');
}

function Label({ path, label, hidden }: { readonly path: string; readonly label: string; readonly hidden?: boolean }) {
  return (
    <label htmlFor={fieldId(path)} className={hidden ? 'visually-hidden' : 'field-label'}>
      {label}
    </label>
  );
}

function Hint({ path, hint }: { readonly path: string; readonly hint: ReactNode | undefined }) {
  return hint ? (
    <p id={`${fieldId(path)}-hint`} className="subtle field-hint">
      {hint}
    </p>
  ) : null;
}

/** A labelled text input with its hint and problems. */
export function TextInput({
  form,
  path,
  label,
  hint,
  hiddenLabel,
  value,
  onChange,
}: InputProps & { readonly value: string; readonly onChange: (value: string) => void }) {
  const invalid = (form.problems.get(path)?.length ?? 0) > 0;
  return (
    <div className="field">
      <Label path={path} label={label} hidden={hiddenLabel} />
      <Textfield
        id={fieldId(path)}
        value={value}
        isReadOnly={form.readOnly}
        isInvalid={invalid}
        aria-invalid={invalid}
        aria-describedby={describedBy(path, hint)}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
      <Hint path={path} hint={hint} />
      <FieldProblems form={form} path={path} />
    </div>
  );
}

const format = (value: number): string => (Number.isNaN(value) ? '' : String(value));
/** Whatever the reader typed as a number; a decimal comma counts (nb-NO and sv-SE write 0,85). NaN when empty. */
const parse = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.')));

/**
 * A labelled number input. It keeps what the reader is typing ("0," on the way to "0,85") and hands the form the
 * number, or NaN, which the schema explains as "enter a number".
 */
export function NumberInput({
  form,
  path,
  label,
  hint,
  hiddenLabel,
  value,
  onChange,
  suffix,
}: InputProps & { readonly value: number; readonly onChange: (value: number) => void; readonly suffix?: string }) {
  const [text, setText] = useState(format(value));
  useEffect(() => {
    // Follow the form when it changes from outside (reload, save), not while the typed text already means `value`.
    setText((current) => (Object.is(parse(current), value) ? current : format(value)));
  }, [value]);
  const invalid = (form.problems.get(path)?.length ?? 0) > 0;
  return (
    <div className="field field-number">
      <Label path={path} label={label} hidden={hiddenLabel} />
      <Textfield
        id={fieldId(path)}
        value={text}
        inputMode="decimal"
        isReadOnly={form.readOnly}
        isInvalid={invalid}
        aria-invalid={invalid}
        aria-describedby={describedBy(path, hint)}
        elemAfterInput={suffix ? <span className="suffix">{suffix}</span> : undefined}
        onChange={(event) => {
          const next = event.currentTarget.value;
          setText(next);
          onChange(parse(next));
        }}
      />
      <Hint path={path} hint={hint} />
      <FieldProblems form={form} path={path} />
    </div>
  );
}
