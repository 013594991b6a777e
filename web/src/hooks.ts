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
  /** what went wrong, for a Notice */
  problem: string | undefined;
  /** problems by field name, for each Field's `error` */
  fields: Record<string, string>;
  setProblem: (problem: string | undefined) => void;
  setFields: (fields: Record<string, string>) => void;
  /**
   * Runs a write: marks the form busy, clears earlier problems, and on failure shows the
   * platform's field problems (renamed by `fieldAliases`, e.g. `applicant.contactPhone` →
   * `contactPhone`) and a message (`describe` may word it for the form).
   */
  run: (work: () => Promise<void>, options?: { describe?: (error: unknown) => string | undefined; fieldAliases?: Record<string, string> }) => Promise<void>;
}

/** The busy flag, problem and field errors of a form that writes through the API. */
export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const run: Submission['run'] = async (work, options = {}) => {
    setBusy(true);
    setProblem(undefined);
    setFields({});
    try {
      await work();
    } catch (error) {
      const found = fieldErrors(error);
      for (const [from, to] of Object.entries(options.fieldAliases ?? {})) if (found[from]) found[to] = found[from];
      setFields(found);
      setProblem(options.describe?.(error) ?? errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, fields, setProblem, setFields, run };
}
