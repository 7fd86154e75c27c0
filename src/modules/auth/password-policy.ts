/**
 * What a new password must be (ASVS V2.1.1, V2.1.7; NIST SP 800-63B §5.1.1.2): at least 12
 * characters, at most 256, not one of the commonly used passwords, and not the user name. No rules
 * about character classes, which make passwords harder to remember and no harder to guess.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../errors.js';

export const PASSWORD_MIN_CHARS = 12;
export const PASSWORD_MAX_CHARS = 256;

// The zxcvbn-ts project's list of the most used passwords (about 50,000, from breach corpora).
const COMMON = new Set(dictionary['passwords-common']);

/** Why `password` may not be set for `username`, or null when it may. */
export function passwordProblem(password: string, username: string): string | null {
  const chars = [...password].length;
  if (chars < PASSWORD_MIN_CHARS) return `must be at least ${PASSWORD_MIN_CHARS} characters long`;
  if (chars > PASSWORD_MAX_CHARS) return `must be at most ${PASSWORD_MAX_CHARS} characters long`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the most commonly used passwords; choose another';
  if (lower.includes(username.toLowerCase())) return 'must not contain the user name';
  return null;
}

/** Throw 400 naming `field` when the password may not be set. */
export function assertAcceptablePassword(password: string, username: string, field: string): void {
  const problem = passwordProblem(password, username);
  if (problem)
    throw new AppError('validation_failed', `The password ${problem}. A long phrase of several words works well.`, {
      fields: [{ field, message: problem }],
    });
}
