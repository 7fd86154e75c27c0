/** The debtor's own addresses for each channel, unsealed and checked: only these are ever sent to. */

import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { Debtor } from '../../db/schema/index.js';
import { parseEmailCell } from '../../domain/cell-values.js';
import { maskEmail } from '../../domain/email.js';
import { maskPhone, parsePhone } from '../../domain/phone.js';
import type { DeliveryChannel } from './outbox.js';

export const DELIVERY_CHANNELS = ['email', 'sms'] as const satisfies readonly DeliveryChannel[];

export const CHANNEL_NAMES: Record<DeliveryChannel, string> = { email: 'e-mail address', sms: 'mobile number' };

/** The address in the canonical form sends use, or null when it is not a usable one for the channel. */
export function normaliseAddress(channel: string, raw: string): string | null {
  if (channel === 'sms') {
    const phone = parsePhone(raw);
    return phone.ok ? phone.value.phone : null;
  }
  if (channel === 'email') {
    const email = parseEmailCell(raw);
    return email.ok ? email.value : null;
  }
  return null;
}

export const maskAddress = (channel: string, address: string) =>
  channel === 'sms' ? maskPhone(address) : maskEmail(address);

export interface DebtorAddress {
  /** As stored. */
  raw: string;
  /** Canonical and usable, or null when the stored value is not a valid address. */
  valid: string | null;
  masked: string;
}

/** The debtor's address on the channel, or null when the record holds none. */
export function debtorAddress(crypto: FieldCrypto, debtor: Debtor, channel: DeliveryChannel): DebtorAddress | null {
  const sealed = channel === 'sms' ? debtor.phoneEnc : debtor.emailEnc;
  if (!sealed) return null;
  const raw = crypto.decrypt(sealed);
  const valid = normaliseAddress(channel, raw);
  return { raw, valid, masked: maskAddress(channel, valid ?? raw) };
}
