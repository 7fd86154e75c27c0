/**
 * Run one lifecycle action on a claim, by the route that records it: judicial confirmation is filed and
 * decided as a court case, and a court mediation statement is issued as one (their own routes, which
 * write the case and its number); every other action goes through the generic transitions route with
 * the version the page read.
 */
import { ApiError, api, type Claim, call, type operations } from '../api/client';

export type Action = NonNullable<
  operations['postClaimsByIdTransitions']['requestBody']
>['content']['application/json']['action'];

export interface ActionInput {
  reason?: string;
  holdKind?: NonNullable<Claim['hold']>;
}

/** The claim's confirmation application still before the court, read fresh. */
async function pendingConfirmation(claimId: number): Promise<number> {
  const detail = await call(api.GET('/api/claims/{id}', { params: { path: { id: claimId } } }));
  const pending = detail.courtCases.find((c) => c.kind === 'judicial_confirmation' && c.status === 'pending');
  if (!pending)
    throw new ApiError(409, {
      type: 'about:blank',
      title: '此案件的司法确认申请已由他人处理，请刷新后查看。',
      status: 409,
      code: 'transition_forbidden',
      detail: 'The judicial confirmation application of this claim is no longer pending.',
      instance: `/api/claims/${claimId}`,
      requestId: '',
    });
  return pending.id;
}

/** Steps recorded with their own form (a judgment's award, a measure's kind and date) in the claim's court cases. */
const RECORDED_WITH_FORM: readonly string[] = ['judge', 'dismiss', 'take_measures', 'list_debtor'];

/** The actions the server lists that a button can run as they are. */
export const buttonActions = (claim: Claim): string[] =>
  claim.availableActions.filter((a) => !RECORDED_WITH_FORM.includes(a));

export async function runAction(claim: Claim, action: Action, { reason, holdKind }: ActionInput): Promise<void> {
  const id = claim.id;
  if (action === 'apply_confirmation') {
    await call(
      api.POST('/api/claims/{id}/confirmation', { params: { path: { id } }, body: { version: claim.version } }),
    );
  } else if (action === 'confirm' && claim.status === 'confirmation_applied') {
    const caseId = await pendingConfirmation(id);
    await call(api.POST('/api/court-cases/{id}/grant', { params: { path: { id: caseId } }, body: {} }));
  } else if (action === 'confirm' && claim.stage === 'court_mediation' && claim.status === 'agreed') {
    await call(
      api.POST('/api/claims/{id}/mediation-statement', { params: { path: { id } }, body: { version: claim.version } }),
    );
  } else if (action === 'refuse_confirmation') {
    const caseId = await pendingConfirmation(id);
    await call(
      api.POST('/api/court-cases/{id}/refuse', {
        params: { path: { id: caseId } },
        body: { reason: reason ?? '' },
      }),
    );
  } else {
    const body = { action, version: claim.version, ...(reason ? { reason } : {}), ...(holdKind ? { holdKind } : {}) };
    await call(api.POST('/api/claims/{id}/transitions', { params: { path: { id } }, body }));
  }
}
