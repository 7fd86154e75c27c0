/**
 * Electronic service receipts (送达回证): each document delivery carries a link `/r/<token>`. The
 * token is a keyed hash of the delivery id (128 bits, unguessable without the data key) rather than a
 * stored random value, so a retry, or a second copy sent in the at-least-once window, carries the same
 * link; only the token's SHA-256 is kept in the database to find the delivery again.
 */
import crypto from 'node:crypto';
import type { FieldCrypto } from '../../adapters/field-crypto.js';

export const receiptToken = (fieldCrypto: FieldCrypto, deliveryId: number): string =>
  Buffer.from(fieldCrypto.hash('delivery_receipt', String(deliveryId)).slice(0, 32), 'hex').toString('base64url');

export const receiptTokenHash = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export const receiptLink = (publicUrl: string, token: string): string => `${publicUrl}/r/${token}`;

/** Tokens are 22 base64url characters; anything else is not one of ours and is not looked up. */
export const looksLikeReceiptToken = (token: string): boolean => /^[A-Za-z0-9_-]{22}$/.test(token);
