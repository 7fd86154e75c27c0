/** Routes by role. Signed out, every address leads to sign-in and back to that address afterwards. */
import { Button, Result, Spin } from 'antd';
import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { ErrorAlert } from '../shared/ui';
import { Shell } from './Layout';
import { homeOf, safeNext } from './nav';
import { SignInDialog } from './SignInDialog';
import { SignInPage } from './SignInPage';
import { SessionProvider, type StaffRole, useSession } from './session';

const CLAIM_READERS: StaffRole[] = ['creditor', 'mediator', 'court'];

/** Each page, who may use it, and its module, loaded when first opened. */
const PAGES: { path: string; roles: StaffRole[]; Page: ComponentType }[] = [
  { path: '/claims', roles: CLAIM_READERS, Page: lazy(() => import('../claims/ClaimsPage')) },
  { path: '/claims/:id', roles: CLAIM_READERS, Page: lazy(() => import('../claims/ClaimDetailPage')) },
  { path: '/queue', roles: ['mediator'], Page: lazy(() => import('../queue/QueuePage')) },
  { path: '/sessions', roles: ['mediator', 'creditor'], Page: lazy(() => import('../room/RoomsPage')) },
  { path: '/court', roles: ['court'], Page: lazy(() => import('../court/CourtQueuePage')) },
  { path: '/batches/new', roles: ['creditor'], Page: lazy(() => import('../batches/BatchUploadPage')) },
  {
    path: '/batches',
    roles: ['creditor'],
    Page: lazy(() => import('../batches/BatchesPage').then((m) => ({ default: m.BatchesList }))),
  },
  {
    path: '/batches/:id',
    roles: ['creditor'],
    Page: lazy(() => import('../batches/BatchesPage').then((m) => ({ default: m.BatchDetail }))),
  },
  { path: '/stats', roles: CLAIM_READERS, Page: lazy(() => import('../stats/StatsPage')) },
  { path: '/funnel', roles: ['creditor', 'admin'], Page: lazy(() => import('../stats/FunnelPage')) },
  { path: '/api-keys', roles: ['creditor'], Page: lazy(() => import('../api-keys/ApiKeysPage')) },
  { path: '/plans', roles: ['creditor', 'mediator'], Page: lazy(() => import('../plans/PlansPage')) },
  { path: '/payee-account', roles: ['creditor'], Page: lazy(() => import('../settings/PayeeAccountPage')) },
  { path: '/admin/organisations', roles: ['admin'], Page: lazy(() => import('../admin/OrganisationsPage')) },
  { path: '/admin/users', roles: ['admin'], Page: lazy(() => import('../admin/UsersPage')) },
  { path: '/admin/templates', roles: ['admin'], Page: lazy(() => import('../admin/TemplatesPage')) },
  { path: '/admin/health', roles: ['admin'], Page: lazy(() => import('../admin/HealthPage')) },
];

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin size="large" description="正在加载…" />
    </div>
  );
}

/** A page only some roles have: the others see why they cannot use it. */
function For({ roles, children }: { roles: StaffRole[]; children: ReactNode }) {
  const { me } = useSession();
  if (!me || !roles.includes(me.role as StaffRole))
    return (
      <Result status="403" title="无权访问此页面" subTitle="您的角色不能使用此页面，请从左侧导航进入您的工作页面。" />
    );
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function Routed() {
  const { me, loading, error } = useSession();
  const location = useLocation();
  const [params] = useSearchParams();
  if (loading) return <Loading />;
  // The server could not say who is signed in (it is down or restarting): say so rather than ask to sign in.
  if (error)
    return (
      <div style={{ padding: 24 }}>
        <ErrorAlert error={error} action={<Button onClick={() => window.location.reload()}>重新加载</Button>} />
      </div>
    );
  if (!me) {
    if (location.pathname === '/') return <SignInPage />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/?next=${encodeURIComponent(next)}`} replace />;
  }
  const role = me.role as StaffRole;
  return (
    <>
      <Routes>
        <Route path="/" element={<Navigate to={safeNext(params.get('next')) ?? homeOf(role)} replace />} />
        <Route element={<Shell />}>
          {PAGES.map(({ path, roles, Page }) => (
            <Route
              key={path}
              path={path}
              element={
                <For roles={roles}>
                  <Page />
                </For>
              }
            />
          ))}
          <Route
            path="*"
            element={<Result status="404" title="页面不存在" subTitle="请从左侧导航进入需要的页面。" />}
          />
        </Route>
      </Routes>
      <SignInDialog />
    </>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Routed />
    </SessionProvider>
  );
}
