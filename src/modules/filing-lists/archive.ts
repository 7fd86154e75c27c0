/**
 * A filing list as one ZIP for the court's e-filing: 立案清单.csv (opens in Excel: UTF-8 with BOM), and
 * a folder per suit with its 起诉状, its 证据目录 and the documents the index names.
 *
 * Everything that can fail (a complaint generated for the first time, an index rendered) is done
 * before the first byte is sent, so a failure is a problem+json answer naming the claim, never a
 * broken download; then the stored PDFs are streamed into the archive one after another.
 */
import { PassThrough, type Readable } from 'node:stream';
import archiver from 'archiver';
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { PdfRenderer } from '../../adapters/pdf/render-pool.js';
import type { DB } from '../../db/open.js';
import { documents as documentRows, mediationSessions, organisations, sessionClaims } from '../../db/schema/index.js';
import { claimedFen } from '../../domain/claim-amounts.js';
import { shanghaiDate } from '../../domain/dates.js';
import { documentTitle, isRegisteredKind } from '../../domain/document-kinds.js';
import { formatYuan } from '../../domain/money.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { readClaimEvents } from '../claims/events.js';
import { documentsOfClaim } from '../documents/claim-documents.js';
import { type EvidenceFile, evidenceIndexModel } from './evidence-index.js';
import { filingListEntries, findFilingList } from './service.js';

/** The documents module's verbs the archive needs. */
export interface ArchiveDocuments {
  generateAsSystem(
    claimId: number,
    kind: 'complaint',
  ): Promise<{ id: number; docNo: string; verifyCode: string; verifyUrl: string }>;
  pdf(principal: Principal, documentId: number): { bytes: Buffer };
}

export interface ArchiveDeps {
  db: DB;
  clock: Clock;
  pdf: PdfRenderer;
  documents: ArchiveDocuments;
  publicUrl: string;
}

const SERVICE_METHODS: Record<string, string> = { electronic: '电子送达', public_notice: '公告送达', post: '邮寄送达' };

/** A name safe in every unzip tool: no path separators or characters Windows refuses. */
const safeName = (s: string) =>
  Array.from(s, (ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function createFilingArchives({ db, clock, pdf, documents, publicUrl }: ArchiveDeps) {
  /** The evidence documents of a claim: every one issued and not revoked, but its complaints. */
  const evidenceOf = (claimId: number) =>
    db
      .select()
      .from(documentRows)
      .where(and(documentsOfClaim(db, claimId), ne(documentRows.kind, 'complaint'), isNull(documentRows.revokedAt)))
      .orderBy(asc(documentRows.id))
      .all();

  const sessionsOf = (claimId: number) =>
    db
      .select({
        id: mediationSessions.id,
        mode: mediationSessions.mode,
        startedAt: mediationSessions.startedAt,
        endedAt: mediationSessions.endedAt,
        outcome: mediationSessions.outcome,
      })
      .from(sessionClaims)
      .innerJoin(mediationSessions, eq(sessionClaims.sessionId, mediationSessions.id))
      .where(eq(sessionClaims.claimId, claimId))
      .orderBy(asc(mediationSessions.id))
      .all();

  return {
    /** The archive of list `id` as a stream, with its file name; 404 if the principal may not see the list. */
    async archive(p: Principal, id: number): Promise<{ fileName: string; stream: Readable }> {
      const list = findFilingList(db, p, id);
      const entries = filingListEntries(db, id);
      const name = (orgId: number) =>
        db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, orgId)).get()!.name;
      const creditorName = name(list.creditorOrgId);
      const courtName = name(list.courtOrgId);
      const madeAt = clock.now();

      const suits = [];
      for (const e of entries) {
        const folder = `${String(e.position).padStart(4, '0')}-${safeName(e.claim.contractNo)}`;
        let complaint: Awaited<ReturnType<ArchiveDocuments['generateAsSystem']>>;
        try {
          complaint = await documents.generateAsSystem(e.claim.id, 'complaint');
        } catch (err) {
          const why = err instanceof AppError ? err.detail : 'it could not be generated';
          throw new AppError('unprocessable', `The complaint of claim ${e.claim.id} (position ${e.position}): ${why}`, {
            reason: 'complaint_failed',
          });
        }
        const files: (EvidenceFile & { documentId: number })[] = evidenceOf(e.claim.id).map((d, i) => {
          const title = isRegisteredKind(d.kind) ? documentTitle(d.kind) : d.kind;
          const servedOn = d.servedAt ? shanghaiDate(d.servedAt) : d.deemedServedOn;
          const method = d.serviceMethod ? (SERVICE_METHODS[d.serviceMethod] ?? d.serviceMethod) : '送达';
          return {
            documentId: d.id,
            fileName: safeName(`证据${i + 2}-${title}-${d.docNo}.pdf`),
            title,
            docNo: d.docNo,
            issuedOn: shanghaiDate(d.createdAt),
            served: servedOn ? `${servedOn} ${method}` : null,
          };
        });
        const { events, chain } = readClaimEvents(db, e.claim.id);
        const model = evidenceIndexModel({
          position: e.position,
          creditorName,
          debtorName: e.debtorName,
          courtName,
          contract: { ...e.claim, claimedFen: claimedFen(e.claim) },
          complaint: { fileName: '起诉状.pdf', ...complaint },
          files,
          sessions: sessionsOf(e.claim.id).map((s) => ({ ...s, mode: s.mode as never })),
          events: events.map((ev) => ({
            seq: ev.seq,
            at: ev.at,
            action: ev.action,
            from: { stage: ev.fromStage, status: ev.fromStatus },
            to: { stage: ev.toStage, status: ev.toStatus },
            actorName: ev.actorName,
            hash: ev.hash,
          })),
          chainValid: chain.valid,
          madeAt,
          publicUrl,
        });
        suits.push({ entry: e, folder, complaint, files, index: await pdf.render([model], madeAt) });
      }

      const zip = archiver('zip', { zlib: { level: 6 } });
      const out = new PassThrough();
      zip.on('error', (err) => out.destroy(err));
      zip.pipe(out);
      const rows = [
        ['序号', '合同编号', '被告', '诉讼请求金额（元）', '起诉状编号', '核验码', '案号', '文件夹'],
        ...suits.map(({ entry, folder, complaint }) => [
          String(entry.position),
          entry.claim.contractNo,
          entry.debtorName,
          formatYuan(claimedFen(entry.claim)),
          complaint.docNo,
          complaint.verifyCode,
          entry.courtCase.caseNo ?? '',
          folder,
        ]),
      ];
      zip.append(`\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`, { name: '立案清单.csv' });
      (async () => {
        for (const s of suits) {
          zip.append(documents.pdf(p, s.complaint.id).bytes, { name: `${s.folder}/起诉状.pdf` });
          zip.append(s.index, { name: `${s.folder}/证据目录.pdf` });
          for (const f of s.files)
            zip.append(documents.pdf(p, f.documentId).bytes, { name: `${s.folder}/${f.fileName}` });
          // Let the archive take what it was given before the next suit is read from storage.
          await new Promise((resolve) => setImmediate(resolve));
        }
        await zip.finalize();
      })().catch((err) => out.destroy(err));
      return { fileName: `立案材料-${courtName}-${list.id}.zip`, stream: out };
    },
  };
}
