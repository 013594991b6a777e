import { useEffect, useState } from 'preact/hooks';
import { Button } from './Button.js';

/**
 * A labelled select with a 筛选 button: the choice applies on submit (not on change, so keyboard
 * users moving through the options do not reload the list, WCAG 3.2.2).
 */
export function SelectFilter({
  id,
  label,
  value,
  allLabel,
  options,
  onApply,
}: {
  id: string;
  label: string;
  /** the filter in force ('' for all) */
  value: string;
  /** the option that means no filter */
  allLabel: string;
  options: readonly { value: string; label: string }[];
  onApply: (value: string) => void;
}) {
  const [chosen, setChosen] = useState(value);
  useEffect(() => setChosen(value), [value]);
  return (
    <form
      class="filter-row"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(chosen);
      }}
    >
      <div class="field">
        <label for={id}>{label}</label>
        <select id={id} value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
          <option value="">{allLabel}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary">
        筛选
      </Button>
    </form>
  );
}
