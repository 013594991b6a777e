/** A placeholder while data loads, announced once to screen readers. */
export function Loading({ label = '正在加载…' }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
