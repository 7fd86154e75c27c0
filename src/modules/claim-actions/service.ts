/**
 * One lifecycle action over up to 100,000 claims, as a job (issue: batch court operations): the
 * claims named or matching a filter within the principal's tenancy, each done or refused on its own,
 * progress readable by GET and pushed on a socket, the same request under the same client key
 * answering the same job (and going on with it, if a stop interrupted it).
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { claimActionJobs } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, type Principal, staffOrgId } from '../auth/principal.js';
import { type ListClaims, matchingClaimIds } from '../claims/matching.js';
import { LiveJobs } from '../common/live-jobs.js';
import { type ClaimActionJob, insertJob, jobItems, jobView, setJobStatus } from './job-rows.js';
import { type RunDeps, runClaimActionJob } from './run.js';
import {
  type ClaimActionDetail,
  type ClaimActionInput,
  type ClaimActionJobView,
  type ItemStatus,
  MAX_CLAIMS_PER_JOB,
} from './schemas.js';

export interface ClaimActionDeps extends Omit<RunDeps, 'live' | 'stopping'> {
  listClaims: ListClaims;
}

/** The fields of the request that make it the same request. */
const requestHash = (input: ClaimActionInput) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        input.action,
        input.claimIds ?? null,
        input.filter ?? null,
        input.reason ?? null,
        input.measure ?? null,
      ]),
    )
    .digest('hex');

function checkShape(input: ClaimActionInput): void {
  const fields: { field: string; message: string }[] = [];
  if ((input.claimIds === undefined) === (input.filter === undefined))
    fields.push({ field: '/body/claimIds', message: 'give either claimIds or filter, not both and not neither' });
  if (input.action === 'record_measure' && !input.measure)
    fields.push({ field: '/body/measure', message: 'is required for record_measure' });
  if (input.action !== 'record_measure' && input.measure)
    fields.push({ field: '/body/measure', message: 'is only for record_measure' });
  if (fields.length)
    throw new AppError('validation_failed', 'The request does not say which claims or what to record; see fields.', {
      fields,
    });
}

export function createClaimActionService(deps: ClaimActionDeps) {
  const { db, clock } = deps;
  const live = new LiveJobs<ClaimActionJobView>();
  const running = new Map<number, Promise<void>>();
  let stopping = false;
  const runDeps: RunDeps = { ...deps, live, stopping: () => stopping };

  function run(p: Principal, job: ClaimActionJob) {
    const payload = job.payload as { reason?: string; measure?: ClaimActionInput['measure'] };
    const done = runClaimActionJob(runDeps, job.id, p, job.action as ClaimActionInput['action'], payload).finally(() =>
      running.delete(job.id),
    );
    running.set(job.id, done);
  }

  /** The job of the principal's organisation, or 404. */
  function ownJob(p: Principal, id: number): ClaimActionJob {
    const job = db
      .select()
      .from(claimActionJobs)
      .where(and(eq(claimActionJobs.id, id), eq(claimActionJobs.orgId, staffOrgId(p))))
      .get();
    if (!job) throw notFound(`Claim action job ${id}`);
    return job;
  }

  return {
    live,

    /** Start the job, or answer the one this client key already started (`created: false`). */
    start(p: Principal, input: ClaimActionInput): { created: boolean; job: ClaimActionJobView } {
      if (!actorOf(p)) throw new AppError('forbidden', 'Platform administrators do not act on claims.');
      const orgId = staffOrgId(p);
      checkShape(input);
      const hash = requestHash(input);
      const before = db
        .select()
        .from(claimActionJobs)
        .where(and(eq(claimActionJobs.orgId, orgId), eq(claimActionJobs.clientKey, input.clientKey)))
        .get();
      if (before) {
        if (before.requestHash !== hash)
          throw new AppError(
            'duplicate',
            `Client key "${input.clientKey}" was used for another request (job ${before.id}); give this request a key of its own.`,
            { reason: 'client_key_used' },
          );
        if (before.status === 'interrupted' && !running.has(before.id)) {
          setJobStatus(db, before.id, 'running', null);
          run(p, { ...before, status: 'running' });
        }
        return { created: false, job: jobView(db, ownJob(p, before.id)) };
      }
      const claimIds = input.claimIds ?? matchingClaimIds(deps.listClaims, p, input.filter!, MAX_CLAIMS_PER_JOB);
      if (claimIds.length === 0)
        throw new AppError('unprocessable', 'No claim you may see matches the filter.', { reason: 'no_claims' });
      const job = insertJob(
        db,
        {
          orgId,
          clientKey: input.clientKey,
          requestHash: hash,
          action: input.action,
          payload: {
            ...(input.reason ? { reason: input.reason } : {}),
            ...(input.measure ? { measure: input.measure } : {}),
          },
          requestedBy: p.kind === 'user' ? p.userId : null,
          requestedByApiKey: p.kind === 'api_key' ? p.apiKeyId : null,
          status: 'running',
          total: claimIds.length,
          createdAt: clock.now(),
        },
        claimIds,
      );
      run(p, job);
      return { created: true, job: jobView(db, job) };
    },

    summary(p: Principal, id: number): ClaimActionJobView {
      return jobView(db, ownJob(p, id));
    },

    detail(p: Principal, id: number, q: { status?: ItemStatus; limit?: number; after?: number }): ClaimActionDetail {
      const job = ownJob(p, id);
      return { ...jobView(db, job), ...jobItems(db, job, q) };
    },

    /** At start: the jobs a stop cut short wait to be sent again. */
    markInterrupted(): void {
      db.update(claimActionJobs).set({ status: 'interrupted' }).where(eq(claimActionJobs.status, 'running')).run();
    },

    /**
     * Stop taking claims and let the claim in progress finish; the jobs cut short say interrupted. Called
     * before the database closes (a preClose hook): the items' own transactions keep every claim exact.
     */
    async close(): Promise<void> {
      stopping = true;
      const cut = [...running.keys()];
      await Promise.all(running.values());
      for (const id of cut) setJobStatus(db, id, 'interrupted', null);
    },
  };
}

export type ClaimActionService = ReturnType<typeof createClaimActionService>;
