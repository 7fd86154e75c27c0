/**
 * Sending a form: `sending` while it goes, the server's field messages placed beside their fields,
 * and any other error kept for the page to say above the button. What was typed stays on failure.
 */
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { fieldMessages, showFieldErrors } from '../api/problem';

export function useFormSubmit<V>(form: FormInstance<V>, fields: readonly string[], send: (values: V) => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = async (values: V) => {
    setSending(true);
    setError(null);
    try {
      await send(values);
    } catch (err) {
      // Messages placed beside their fields need no alert; anything else is said above the button.
      const unplaced = showFieldErrors(form, err, fields);
      if (unplaced.length > 0 || fieldMessages(err).size === 0) setError(err);
    } finally {
      setSending(false);
    }
  };
  return { submit, sending, error };
}
