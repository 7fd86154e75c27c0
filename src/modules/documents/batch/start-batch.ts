/**
 * Starting a document job for every claim matching a filter within the principal's tenancy: the job
 * is answered at once and run in the background; stopping waits for the documents in progress.
 */
import type { DB } from '../../../db/open.js';
import { documentJobItems, documentJobs } from '../../../db/schema/index.js';
import { type DocumentKind, KIND_RULES } from '../../../domain/document-kinds.js';
import { AppError } from '../../../errors.js';
import type { Principal } from '../../auth/principal.js';
import { type ListClaims, matchingClaimIds } from '../../claims/matching.js';
import type { ClaimFilterInput } from '../../claims/schemas.js';
import { errorText } from '../../common/busy-retry.js';
import { staffRequester } from '../prepare.js';
import type { JobView } from '../schemas.js';
import { orgIssues } from '../template-service.js';
import { interruptJob, jobView } from './job-rows.js';
import { type RunJobDeps, runJob } from './run-job.js';

export interface BatchDeps extends Omit<RunJobDeps, 'stopping'> {
  listClaims: ListClaims;
  /** Most claims one batch may cover. */
  batchMaxClaims: number;
}

// Items inserted per statement.
const ITEM_CHUNK = 500;

type StaffPrincipal = Exclude<Principal, { kind: 'debtor' }>;

/** The job row and one pending item per claim, in one transaction. */
function insertJob(
  db: DB,
  principal: StaffPrincipal,
  kind: DocumentKind,
  filter: ClaimFilterInput,
  claimIds: number[],
  createdAt: Date,
) {
  return db.transaction((tx) => {
    const job = tx
      .insert(documentJobs)
      .values({
        kind,
        requestedBy: principal.kind === 'user' ? principal.userId : null,
        orgId: principal.orgId,
        filter,
        status: 'running',
        total: claimIds.length,
        createdAt,
      })
      .returning()
      .get();
    for (let i = 0; i < claimIds.length; i += ITEM_CHUNK) {
      tx.insert(documentJobItems)
        .values(claimIds.slice(i, i + ITEM_CHUNK).map((claimId) => ({ jobId: job.id, claimId, status: 'pending' })))
        .run();
    }
    return job;
  });
}

export function createBatchJobs(deps: BatchDeps) {
  const running = new Map<number, Promise<void>>();
  let stopping = false;
  const runDeps: RunJobDeps = { ...deps, stopping: () => stopping };

  return {
    /**
     * Start generating `kind` for every claim matching the filters within the principal's tenancy:
     * answers the job at once; the documents are made in the background, each claim on its own.
     */
    start(principal: Principal, kind: DocumentKind, filter: ClaimFilterInput): JobView {
      const who = staffRequester(principal);
      if (principal.kind === 'debtor' || !orgIssues(principal.orgKind, kind)) {
        throw new AppError('forbidden', `Your organisation does not issue ${KIND_RULES[kind].title}.`, {
          reason: 'not_issuer',
        });
      }
      const claimIds = matchingClaimIds(deps.listClaims, principal, filter, deps.batchMaxClaims);
      if (claimIds.length === 0)
        throw new AppError('unprocessable', 'No claim you may see matches the filter.', { reason: 'no_claims' });
      const createdAt = deps.clock.now();
      const job = insertJob(deps.db, principal, kind, filter, claimIds, createdAt);
      const run = runJob(runDeps, job.id, who, kind, createdAt)
        .catch((err: unknown) => {
          interruptJob(deps.db, job.id, `The job stopped on an error: ${errorText(err)}`, deps.clock.now());
          deps.onJobError?.(job.id, err);
        })
        .finally(() => running.delete(job.id));
      running.set(job.id, run);
      return jobView(deps.db, job);
    },

    /** Stop taking claims of running jobs, let the documents in progress finish, and mark the jobs interrupted. */
    async close(): Promise<void> {
      stopping = true;
      await Promise.all(running.values());
    },
  };
}
