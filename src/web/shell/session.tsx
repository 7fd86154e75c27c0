/**
 * Who is signed in, for the whole application. The sign-in is the server's httpOnly cookie; the page
 * only asks who it belongs to. When a call answers 401 mid-work, the sign-in dialog opens over the
 * page, so what the user typed or chose stays where it is; after signing in they go on.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Answer, ApiError, api, call, onSignInLost } from '../api/client';

export type Me = Answer<'getAuthMe'>;
export type StaffRole = 'admin' | 'creditor' | 'mediator' | 'court';

interface SessionState {
  /** The signed-in user; null while nobody is. */
  me: Me | null;
  loading: boolean;
  /** Why the server could not say who is signed in (unreachable, failing). */
  error: unknown;
  /** The server forgot this sign-in while a page was open. */
  lost: boolean;
  signIn(username: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [lost, setLost] = useState(false);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await call(api.GET('/api/auth/me'));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  useEffect(() => onSignInLost(() => setLost(true)), []);

  const signIn = useCallback(
    async (username: string, password: string) => {
      await call(api.POST('/api/auth/login', { body: { username, password } }));
      const who = await call(api.GET('/api/auth/me'));
      const before = queryClient.getQueryData<Me | null>(['me']);
      queryClient.setQueryData(['me'], who);
      setLost(false);
      // Same person again: reload what the pages show. Someone else: nothing of the last user's stays cached.
      if (before && before.name === who.name && before.orgId === who.orgId) await queryClient.invalidateQueries();
      else queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      return who;
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    // Signed out on the server or not (it may have forgotten the sign-in already), nothing of it stays here.
    await call(api.POST('/api/auth/logout')).catch(() => undefined);
    queryClient.setQueryData(['me'], null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  }, [queryClient]);

  const value = useMemo<SessionState>(
    () => ({
      me: me.data ?? null,
      loading: me.isPending,
      error: me.error,
      lost: lost && !!me.data,
      signIn,
      signOut,
    }),
    [me.data, me.isPending, me.error, lost, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user, on pages that only render for one. */
export function useMe(): Me & { role: StaffRole } {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a signed-in user');
  return me as Me & { role: StaffRole };
}
