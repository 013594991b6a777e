import type { JSX } from 'preact';

type ButtonProps = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  type?: 'button' | 'submit' | 'reset';
  busy?: boolean;
  disabled?: boolean;
};

/** A button; `busy` disables it and tells assistive technology it is working. */
export function Button({ variant = 'primary', type = 'button', busy = false, disabled, class: className, children, ...rest }: ButtonProps) {
  return (
    <button type={type} class={`button button-${variant}${className ? ` ${String(className)}` : ''}`} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {children}
    </button>
  );
}
