import { useState } from 'preact/hooks';

export interface Submission {
  busy: boolean;
  /** what the last attempt threw, until the next attempt */
  error: unknown;
  /** runs `write`, marking the form busy meanwhile; resolves whether it succeeded */
  run: (write: () => Promise<unknown>) => Promise<boolean>;
  /** forgets the error (the form was closed or changed) */
  clearError: () => void;
}

/** The busy and error state of a form that writes through the API. */
export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (write: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await write();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clearError: () => setError(undefined) };
}
