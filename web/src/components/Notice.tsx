import type { ComponentChildren } from 'preact';

/** A message: `status` (polite) for news, `alert` (assertive) for errors. */
export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'error' | 'warning'; children: ComponentChildren }) {
  const urgent = kind === 'error';
  return (
    <div class={`notice notice-${kind}`} role={urgent ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
