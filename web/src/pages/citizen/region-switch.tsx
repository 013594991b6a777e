import { useEffect, useState } from 'preact/hooks';
import { Button } from '../../components/index.js';
import { REGION_OPTIONS } from './region.js';

/**
 * The region switch: a labelled select applied with its button, so that moving through the
 * options with the keyboard does not reload the page (WCAG 3.2.2 On Input).
 */
export function RegionSwitch({ id, label, value, onApply, labelClass }: { id: string; label: string; value: string; onApply: (code: string) => void; labelClass?: string }) {
  const [chosen, setChosen] = useState(value);
  useEffect(() => setChosen(value), [value]);
  return (
    <form
      class="region-switch"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(chosen);
      }}
    >
      <label for={id} class={labelClass ?? 'group-label'}>
        {label}
      </label>
      <div class="search-row">
        <select id={id} value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
          {REGION_OPTIONS.map((option) => (
            <option key={option.code} value={option.code}>
              {option.name}
            </option>
          ))}
        </select>
        <Button type="submit" variant="secondary">
          切换
        </Button>
      </div>
    </form>
  );
}
