/** E-mail addresses as people see them: masked like phones, enough to recognise, not to use. */

/** `zhang.san@qq.com` → `z***@qq.com`; something that is not an address is fully masked. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return '*'.repeat(Math.min(email.length, 8));
  return `${[...email.slice(0, at)][0]}***${email.slice(at)}`;
}
