/** 登录: the first page; after signing in, the page the user asked for, or their role's home. */
import { Card, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { homeOf, safeNext } from './nav';
import { SignInForm } from './SignInForm';
import type { StaffRole } from './session';

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <main className="sign-in">
      <Card>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center' }}>
          小额纠纷批量调解平台
        </Typography.Title>
        <Typography.Paragraph style={{ textAlign: 'center' }}>工作人员登录</Typography.Paragraph>
        <SignInForm
          idPrefix="sign-in"
          onSignedIn={(me) => navigate(safeNext(params.get('next')) ?? homeOf(me.role as StaffRole), { replace: true })}
        />
      </Card>
    </main>
  );
}
