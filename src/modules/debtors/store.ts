/** Debtor records: personal data sealed on the way in, found again by keyed hash. */
import { eq } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import { type Debtor, debtors } from '../../db/schema/index.js';

export interface DebtorFacts {
  name: string;
  idNumber: string;
  phone: string | null;
  address: string | null;
  email: string | null;
}

export const idNumberHash = (crypto: FieldCrypto, idNumber: string) => crypto.hash('id_number', idNumber);
export const phoneHash = (crypto: FieldCrypto, phone: string) => crypto.hash('phone', phone);

/** A debtor row's name and sealed personal data. */
export type SealedDebtor = Pick<
  Debtor,
  'name' | 'idNumberEnc' | 'idNumberHash' | 'phoneEnc' | 'phoneHash' | 'addressEnc' | 'emailEnc'
>;

/** The sealed columns of a debtor row for the given facts. */
export function sealDebtor(crypto: FieldCrypto, f: DebtorFacts): SealedDebtor {
  return {
    name: f.name,
    idNumberEnc: crypto.encrypt(f.idNumber),
    idNumberHash: idNumberHash(crypto, f.idNumber),
    phoneEnc: f.phone ? crypto.encrypt(f.phone) : null,
    phoneHash: f.phone ? phoneHash(crypto, f.phone) : null,
    addressEnc: f.address ? crypto.encrypt(f.address) : null,
    emailEnc: f.email ? crypto.encrypt(f.email) : null,
  };
}

/** Find the debtor with this ID number or create one; newer contact details replace older ones. */
export function upsertDebtor(tx: DbOrTx, crypto: FieldCrypto, f: DebtorFacts, now: Date): Debtor {
  const sealed = sealDebtor(crypto, f);
  const existing = tx.select().from(debtors).where(eq(debtors.idNumberHash, sealed.idNumberHash)).get();
  if (!existing)
    return tx
      .insert(debtors)
      .values({ ...sealed, createdAt: now, updatedAt: now })
      .returning()
      .get();
  // Contact details given now replace older ones; details not given keep what we had.
  const update = Object.fromEntries(
    Object.entries({
      name: sealed.name,
      phoneEnc: sealed.phoneEnc,
      phoneHash: sealed.phoneHash,
      addressEnc: sealed.addressEnc,
      emailEnc: sealed.emailEnc,
    }).filter(([, v]) => v !== null),
  );
  return tx
    .update(debtors)
    .set({ ...update, updatedAt: now })
    .where(eq(debtors.id, existing.id))
    .returning()
    .get();
}
