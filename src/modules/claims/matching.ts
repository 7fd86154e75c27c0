/** Every claim a filter matches within a principal's tenancy, for the operations that take many claims. */
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import type { ClaimFilterInput, ClaimListFilters } from './schemas.js';

/** One page of the claims matching the filters within the principal's tenancy (the claims service's list). */
export type ListClaims = (
  principal: Principal,
  filter: ClaimListFilters,
) => { items: { id: number }[]; nextCursor: string | null };

/** The ids of every claim the filter matches for the principal, in list order; more than `max` is refused. */
export function matchingClaimIds(
  listClaims: ListClaims,
  principal: Principal,
  filter: ClaimFilterInput,
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
