/** The sign-in again over the page, after the server forgot the sign-in: the page keeps its state. */
import { Alert, Modal } from 'antd';
import { SignInForm } from './SignInForm';
import { useSession } from './session';

export function SignInDialog() {
  const { lost } = useSession();
  return (
    <Modal
      open={lost}
      title="登录已过期"
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={null}
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        title="为了安全，登录已失效。请重新登录；页面上已填写和已选择的内容会保留，登录后请再次提交。"
        style={{ marginBottom: 16 }}
      />
      <SignInForm idPrefix="sign-in-again" onSignedIn={() => undefined} />
    </Modal>
  );
}
