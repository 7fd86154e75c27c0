/**
 * Starting a document job for every claim matching a filter within the principal's tenancy: the job
 * is answered at once and run in the background; stopping waits for the documents in progress.
 */
import type { DB } from '../../../db/open.js';
import { documentJobItems, documentJobs } from '../../../db/schema/index.js';
import { type DocumentKind, KIND_RULES } from '../../../domain/document-kinds.js';
import { AppError } from '../../../errors.js';
import type { Principal } from '../../auth/principal.js';
import type { ClaimListFilters } from '../../claims/schemas.js';
import { staffRequester } from '../prepare.js';
import type { BatchFilterInput, JobView } from '../schemas.js';
import { orgIssues } from '../template-service.js';
import { interruptJob, jobView } from './job-rows.js';
import { errorText, type RunJobDeps, runJob } from './run-job.js';

/** One page of the claims matching the filters within the principal's tenancy (the claims service's list). */
export type ListClaims = (
  principal: Principal,
  filter: ClaimListFilters,
) => { items: { id: number }[]; nextCursor: string | null };

export interface BatchDeps extends Omit<RunJobDeps, 'stopping'> {
  listClaims: ListClaims;
  /** Most claims one batch may cover. */
  batchMaxClaims: number;
}

// Items inserted per statement.
const ITEM_CHUNK = 500;

/** The ids of every claim the filter matches for the principal, in list order; more than `max` is refused. */
export function matchingClaimIds(
  listClaims: ListClaims,
  principal: Principal,
  filter: BatchFilterInput,
  max: number,
): number[] {
  const claimIds: number[] = [];
  for (let after: string | undefined; ; ) {
    const page = listClaims(principal, { ...filter, limit: 200, ...(after ? { after } : {}) });
    claimIds.push(...page.items.map((c) => c.id));
    if (claimIds.length > max) {
      throw new AppError(
        'unprocessable',
        `The filter matches more than ${max} claims; narrow it (for example by batchId or stage) and send several batches.`,
        { reason: 'too_many_claims' },
      );
    }
    if (!page.nextCursor) return claimIds;
    after = page.nextCursor;
  }
}

type StaffPrincipal = Exclude<Principal, { kind: 'debtor' }>;

/** The job row and one pending item per claim, in one transaction. */
function insertJob(
  db: DB,
  principal: StaffPrincipal,
  kind: DocumentKind,
  filter: BatchFilterInput,
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
    start(principal: Principal, kind: DocumentKind, filter: BatchFilterInput): JobView {
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
