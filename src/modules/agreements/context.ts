/** What the agreement verbs share. */
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { SignatureInfo } from '../../adapters/pdf-signer.js';
import type { SmsChannel } from '../../adapters/sms.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/open.js';
import type { Signer } from '../documents/schemas.js';

export interface AgreementDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  sms: SmsChannel;
  /** The documents module's signing step on a registered PDF. */
  documents: {
    sign(documentId: number, info: Omit<SignatureInfo, 'signingTime'>, signers: readonly Signer[]): Promise<boolean>;
  };
  /** Base of the verify link named in the signature. */
  publicUrl: string;
  /** The one-time code's life, tries and sends per hour: the debtor's sign-in code settings. */
  config: Pick<Config, 'otpTtlMinutes' | 'otpMaxAttempts' | 'otpSendsPerHour'>;
}

export const codeHash = (deps: AgreementDeps, challengeId: string, code: string) =>
  deps.crypto.hash('agreement_code', `${challengeId}:${code}`);
