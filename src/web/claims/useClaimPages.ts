/** The claims of GET /api/claims for some filters, fetched by keyset in pages of 200 as they are needed. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, call, type operations } from '../api/client';

export type ClaimFilters = Omit<NonNullable<operations['getClaims']['parameters']['query']>, 'limit' | 'after'>;
const PAGE_SIZE = 200;

export function useClaimPages(filters: ClaimFilters) {
  const claims = useInfiniteQuery({
    queryKey: ['claims', filters],
    queryFn: ({ pageParam }) =>
      call(api.GET('/api/claims', { params: { query: { ...filters, limit: PAGE_SIZE, after: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return { claims, rows: claims.data?.pages.flatMap((p) => p.items) ?? [] };
}
