/** The frame of every signed-in page: navigation by role, who is signed in, sign-out. */
import { MenuOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Tag } from 'antd';
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { ROLE_LABELS } from '../shared/labels';
import { NAV } from './nav';
import { useMe, useSession } from './session';

export function Shell() {
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const items = NAV[me.role];
  // The longest navigation path that the address starts with is the current page.
  const current = items
    .filter((i) => location.pathname === i.path || location.pathname.startsWith(`${i.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} collapsed={collapsed} onCollapse={setCollapsed} trigger={null}>
        <div className="shell-brand">小额纠纷批量调解平台</div>
        <nav aria-label="主导航">
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={current ? [current.path] : []}
            items={items.map((i) => ({ key: i.path, label: i.label }))}
            onClick={({ key }) => {
              navigate(key);
              if (window.matchMedia('(max-width: 991px)').matches) setCollapsed(true);
            }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <Button
            className="shell-nav-toggle"
            icon={<MenuOutlined />}
            aria-label={collapsed ? '打开导航' : '收起导航'}
            aria-expanded={!collapsed}
            onClick={() => setCollapsed(!collapsed)}
          />
          <div className="shell-user">
            <Tag className="tag-processing">{ROLE_LABELS[me.role]}</Tag>
            <span className="shell-user-name">{me.name}</span>
            <Button
              onClick={async () => {
                await signOut();
                navigate('/', { replace: true });
              }}
            >
              退出登录
            </Button>
          </div>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
