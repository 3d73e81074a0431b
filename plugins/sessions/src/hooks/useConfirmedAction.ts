import { useEffect, useState } from 'react';

/**
 * The state of a confirmation dialog about one subject (a session, a grant):
 * the subject still shown while the dialog closes, whether the action runs,
 * and the error to show inside the dialog so the person can retry or cancel.
 */
export function useConfirmedAction<T>(
  subject: T | undefined,
  action: (subject: T) => Promise<void>,
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  // Keep the last subject so the text does not vanish while the dialog closes.
  const [shown, setShown] = useState<T | undefined>(subject);

  useEffect(() => {
    if (subject) {
      setShown(subject);
      setError(undefined);
    }
  }, [subject]);

  const confirm = async () => {
    if (!subject) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await action(subject);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return { shown, busy, error, confirm };
}
