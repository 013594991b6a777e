import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'onInput' | 'value' | 'type'>;

interface FieldProps extends InputProps {
  label: string;
  /** the problem with the value, shown under the input and announced */
  error?: string | undefined;
  /** a hint shown under the label */
  hint?: string | undefined;
  value?: string;
  onValue?: (value: string) => void;
  type?: string;
  name?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: string;
  /** renders a textarea instead of an input */
  multiline?: boolean;
  /** renders a select with these options instead of an input */
  options?: readonly { value: string; label: string }[];
  children?: ComponentChildren;
}

/** A labelled input with its hint and error, tied together with `aria-describedby`. */
export function Field({ label, error, hint, value, onValue, multiline, options, required, id, class: className, children, ...rest }: FieldProps) {
  const generated = useId();
  const inputId = typeof id === 'string' && id ? id : `field-${generated}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id: inputId,
    required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };
  const onInput = (event: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => onValue?.(event.currentTarget.value);
  let control: JSX.Element;
  if (options) {
    control = (
      <select {...common} value={value} onChange={onInput} name={rest.name}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (multiline) {
    control = <textarea {...common} value={value} onInput={onInput} name={rest.name} rows={5} maxLength={rest.maxLength as number | undefined} />;
  } else {
    control = <input {...rest} {...common} value={value} onInput={onInput} />;
  }
  return (
    <div class={`field${error ? ' field-invalid' : ''}${className ? ` ${String(className)}` : ''}`}>
      <label for={inputId}>
        {label}
        {required ? <span class="required" aria-hidden="true"> *</span> : null}
      </label>
      {hint ? (
        <p class="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {control}
      {children}
      {error ? (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
