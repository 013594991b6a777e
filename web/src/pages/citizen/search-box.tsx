import type { JSX } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { navigate } from '../../router.js';

export interface Suggestion {
  text: string;
  type: 'item' | 'guide' | 'policy' | 'life-event';
  code?: string;
  id?: string;
}

const typeLabels: Record<Suggestion['type'], string> = { item: '事项', guide: '办事指南', policy: '政策', 'life-event': '一件事' };

export function suggestionHref(suggestion: Suggestion, region?: string): string {
  if ((suggestion.type === 'item' || suggestion.type === 'guide') && suggestion.code) {
    return `/items/${encodeURIComponent(suggestion.code)}${region && region !== 'national' ? `?region=${region}` : ''}`;
  }
  if (suggestion.type === 'life-event' && suggestion.id) return `/life-events/${encodeURIComponent(suggestion.id)}`;
  return `/search?q=${encodeURIComponent(suggestion.text)}`;
}

/**
 * The search box with live suggestions (names, aliases, pinyin and initials), following the
 * WAI-ARIA combobox pattern: arrows move through the list, Enter opens the chosen suggestion or
 * searches the typed words, Escape closes the list.
 */
export function SearchBox({ initial = '', region, label = '搜索办事服务', labelClass }: { initial?: string; region?: string; label?: string; labelClass?: string }) {
  const [text, setText] = useState(initial);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const baseId = `search-${useId()}`;
  const latest = useRef(0);

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    const prefix = text.trim();
    if (!prefix || prefix === initial) {
      setSuggestions([]);
      return;
    }
    const call = ++latest.current;
    const timer = setTimeout(() => {
      api.get<{ suggestions: Suggestion[] }>('/v1/search/suggest', { prefix: prefix.slice(0, 100), limit: 8 }).then(
        (answer) => {
          if (call !== latest.current) return;
          setSuggestions(answer.suggestions);
          setActive(-1);
          setOpen(answer.suggestions.length > 0);
        },
        () => {
          if (call === latest.current) setSuggestions([]);
        },
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [text]);

  const runSearch = (words: string) => {
    setOpen(false);
    const query = new URLSearchParams();
    if (words.trim()) query.set('q', words.trim());
    if (region && region !== 'national') query.set('region', region);
    const search = query.toString();
    navigate(`/search${search ? `?${search}` : ''}`);
  };

  const choose = (suggestion: Suggestion) => {
    setOpen(false);
    navigate(suggestionHref(suggestion, region));
  };

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && suggestions.length) {
      event.preventDefault();
      setOpen(true);
      setActive((active + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp' && suggestions.length) {
      event.preventDefault();
      setOpen(true);
      setActive(active <= 0 ? suggestions.length - 1 : active - 1);
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    }
  };

  const onSubmit = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = open && active >= 0 ? suggestions[active] : undefined;
    if (chosen) choose(chosen);
    else runSearch(text);
  };

  const listId = `${baseId}-list`;
  const showList = open && suggestions.length > 0;
  return (
    <form role="search" class="search-box" onSubmit={onSubmit}>
      <label for={`${baseId}-input`} class={labelClass ?? 'visually-hidden'}>
        {label}
      </label>
      <div class="search-row">
        <input
          id={`${baseId}-input`}
          type="search"
          value={text}
          placeholder="输入事项名称、关键词或拼音，如 shebaoka"
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listId}
          aria-activedescendant={showList && active >= 0 ? `${baseId}-option-${active}` : undefined}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <button type="submit" class="button button-primary">
          搜索
        </button>
      </div>
      <ul id={listId} role="listbox" aria-label="搜索建议" class="suggestions" hidden={!showList}>
        {suggestions.map((suggestion, index) => (
          <li
            key={`${suggestion.type}-${suggestion.code ?? suggestion.id ?? suggestion.text}`}
            id={`${baseId}-option-${index}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(suggestion);
            }}
          >
            {suggestion.text}
            <span class="suggestion-hint">{typeLabels[suggestion.type]}</span>
          </li>
        ))}
      </ul>
    </form>
  );
}
