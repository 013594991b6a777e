import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText, fieldErrors } from './api.js';
import { onSessionChange, currentUser, type CurrentUser } from './session.js';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** loads again (after a change the page made) */
  reload: () => void;
}

/** Runs `load` when `deps` change; the latest call wins, earlier answers are dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [version, setVersion] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setState((previous) => ({ data: previous.data, error: undefined, loading: true }));
    load().then(
      (data) => {
        if (call === latest.current) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (call === latest.current) setState({ data: undefined, error, loading: false });
      },
    );
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

/** The signed-in user, re-rendering on login, logout and refresh. */
export function useCurrentUser(): CurrentUser | undefined {
  const [user, setUser] = useState(currentUser());
  useEffect(() => onSessionChange(setUser), []);
  return user;
}

export interface Submission {
  busy: boolean;
  /** what the last attempt threw, until the next attempt (for forms that react to its status, e.g. a 409) */
  error: unknown;
  /** what went wrong, for a Notice */
  problem: string | undefined;
  /** problems by field name, for each Field's `error` */
  fields: Record<string, string>;
  setProblem: (problem: string | undefined) => void;
  setFields: (fields: Record<string, string>) => void;
  /** forgets the last failure (the form was closed or changed) */
  clearError: () => void;
  /**
   * Runs a write: marks the form busy, clears earlier problems, and on failure shows the
   * platform's field problems (renamed by `fieldAliases`, e.g. `applicant.contactPhone` →
   * `contactPhone`) and a message (`describe` may word it for the form). Resolves whether it succeeded.
   */
  run: (work: () => Promise<unknown>, options?: { describe?: (error: unknown) => string | undefined; fieldAliases?: Record<string, string> }) => Promise<boolean>;
}

/** The busy flag, problem and field errors of a form that writes through the API. */
export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [problem, setProblem] = useState<string | undefined>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const clearError = () => {
    setError(undefined);
    setProblem(undefined);
    setFields({});
  };
  const run: Submission['run'] = async (work, options = {}) => {
    setBusy(true);
    clearError();
    try {
      await work();
      return true;
    } catch (caught) {
      const found = fieldErrors(caught);
      for (const [from, to] of Object.entries(options.fieldAliases ?? {})) if (found[from]) found[to] = found[from];
      setError(caught);
      setFields(found);
      setProblem(options.describe?.(caught) ?? errorText(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, problem, fields, setProblem, setFields, clearError, run };
}
