/** What the session verbs share: the app's connection and adapters, the live rooms and the negotiation. */
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { PdfRenderer } from '../../adapters/pdf/render-pool.js';
import type { DB } from '../../db/open.js';
import type { Principal } from '../auth/principal.js';
import type { RegisterRecord } from '../documents/register-record.js';
import type { ReferenceData } from '../reference/service.js';
import type { SessionHub } from './hub.js';
import type { Negotiation } from './negotiation.js';

/** The documents module's verbs the session record needs: registering it, and reading a registered one again. */
export interface RecordDocuments {
  registerRecord: RegisterRecord;
  pdf(principal: Principal, documentId: number): { bytes: Buffer; document: { docNo: string } };
}

export interface SessionContext {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  reference: ReferenceData;
  /** Base of the portal link in invitations and of the record's own link. */
  publicUrl: string;
  /** Longest plan a granted hardship request allows (the portal's setting). */
  hardshipMaxInstalments: number;
  /** Renders the record off the event loop, which the rooms need. */
  pdf: PdfRenderer;
  records: RecordDocuments;
  hub: SessionHub;
  negotiation: Negotiation;
}
