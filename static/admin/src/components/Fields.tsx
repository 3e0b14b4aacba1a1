import Textfield from '@atlaskit/textfield';
import { type ReactNode, useEffect, useState } from 'react';
import { Field } from '../../../common/src/Field';
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

/** What every admin text box carries: its id, read-only and invalid state, and what describes it. */
interface ControlProps {
  readonly id: string;
  readonly isReadOnly: boolean;
  readonly isInvalid: boolean;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

/**
 * The shared field shell with the admin's conventions: the id comes from the field path, and the problems region is
 * always in the DOM (aria-live announces new problems, so it must exist before they arrive).
 */
function AdminField({
  form,
  path,
  label,
  hint,
  hiddenLabel,
  className,
  children,
}: InputProps & { readonly className?: string; readonly children: (control: ControlProps) => ReactNode }) {
  const invalid = (form.problems.get(path)?.length ?? 0) > 0;
  return (
    <Field
      id={fieldId(path)}
      label={label}
      labelClassName={hiddenLabel ? 'visually-hidden' : 'field-label'}
      className={className}
      help={hint}
      error={{ id: `${fieldId(path)}-problems`, node: <FieldProblems form={form} path={path} /> }}
    >
      {(describedBy) =>
        children({
          id: fieldId(path),
          isReadOnly: form.readOnly,
          isInvalid: invalid,
          'aria-invalid': invalid,
          'aria-describedby': describedBy,
        })
      }
    </Field>
  );
}

/** A labelled text input with its hint and problems. */
export function TextInput({
  value,
  onChange,
  ...field
}: InputProps & { readonly value: string; readonly onChange: (value: string) => void }) {
  return (
    <AdminField {...field}>
      {(control) => <Textfield {...control} value={value} onChange={(event) => onChange(event.currentTarget.value)} />}
    </AdminField>
  );
}

/** The items of a comma-separated list as typed, each trimmed, empty ones left out. */
const items = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
const sameItems = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * A labelled input for a short list of names, written comma-separated. Like NumberInput it keeps what the reader is
 * typing ("Scoping, " on the way to a second name) and hands the form the list.
 */
export function ListInput({
  value,
  onChange,
  ...field
}: InputProps & { readonly value: readonly string[]; readonly onChange: (value: string[]) => void }) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => {
    setText((current) => (sameItems(items(current), value) ? current : value.join(', ')));
  }, [value]);
  return (
    <AdminField {...field}>
      {(control) => (
        <Textfield
          {...control}
          value={text}
          onChange={(event) => {
            const next = event.currentTarget.value;
            setText(next);
            onChange(items(next));
          }}
        />
      )}
    </AdminField>
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
  value,
  onChange,
  suffix,
  ...field
}: InputProps & { readonly value: number; readonly onChange: (value: number) => void; readonly suffix?: string }) {
  const [text, setText] = useState(format(value));
  useEffect(() => {
    // Follow the form when it changes from outside (reload, save), not while the typed text already means `value`.
    setText((current) => (Object.is(parse(current), value) ? current : format(value)));
  }, [value]);
  return (
    <AdminField {...field} className="field-number">
      {(control) => (
        <Textfield
          {...control}
          value={text}
          inputMode="decimal"
          elemAfterInput={suffix ? <span className="suffix">{suffix}</span> : undefined}
          onChange={(event) => {
            const next = event.currentTarget.value;
            setText(next);
            onChange(parse(next));
          }}
        />
      )}
    </AdminField>
  );
}
