/** The room for the signed-in debtor: the session named in the address, or what to do when it cannot be shown. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Typography } from 'antd';
import { ApiError, api, call } from '../api/client';
import { Room } from '../room/Room';
import { ErrorAlert } from '../shared/ui';

const sessionId = Number(new URLSearchParams(window.location.search).get('session'));

export function DebtorRoom() {
  const session = useQuery({
    queryKey: ['session', sessionId],
    queryFn: () => call(api.GET('/api/sessions/{id}', { params: { path: { id: sessionId } } })),
    enabled: Number.isSafeInteger(sessionId) && sessionId > 0,
  });
  const signedOut = session.error instanceof ApiError && session.error.status === 401;
  return (
    <main className="debtor-room">
      <Typography.Title level={3}>在线调解室</Typography.Title>
      <p>
        <a href="/portal/#/claims">返回我的案件</a>
      </p>
      {!session.isEnabled && <Alert type="error" showIcon title="链接不完整：请从案件页面进入调解室。" />}
      {signedOut ? (
        <Alert
          type="warning"
          showIcon
          title="请先登录"
          description={<a href="/portal/#/login">登录后从案件页面进入调解室</a>}
        />
      ) : (
        <ErrorAlert error={session.error} />
      )}
      {session.data && <Room session={session.data} me={{ role: 'debtor', name: session.data.debtor.name }} />}
    </main>
  );
}
