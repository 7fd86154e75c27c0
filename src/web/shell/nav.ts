/**
 * The pages of each role and where each role starts. The first path segments here are the client
 * routes the server answers with index.html (STAFF_SECTIONS in src/modules/web/routes.ts).
 */
import type { StaffRole } from './session';

export interface NavItem {
  path: string;
  label: string;
}

export const NAV: Record<StaffRole, NavItem[]> = {
  creditor: [
    { path: '/batches/new', label: '上传批次' },
    { path: '/batches', label: '批次列表' },
    { path: '/claims', label: '案件' },
    { path: '/sessions', label: '调解室' },
    { path: '/plans', label: '还款方案' },
    { path: '/funnel', label: '漏斗看板' },
    { path: '/stats', label: '统计' },
    { path: '/api-keys', label: 'API 密钥' },
    { path: '/payee-account', label: '收款账户' },
  ],
  mediator: [
    { path: '/claims', label: '案件' },
    { path: '/queue', label: '待办' },
    { path: '/sessions', label: '调解室' },
    { path: '/plans', label: '还款方案' },
    { path: '/stats', label: '统计' },
  ],
  court: [
    { path: '/court', label: '法院待办' },
    { path: '/claims', label: '案件' },
    { path: '/stats', label: '统计' },
  ],
  admin: [
    { path: '/admin/organisations', label: '机构' },
    { path: '/admin/users', label: '用户' },
    { path: '/admin/templates', label: '文书模板' },
    { path: '/admin/health', label: '系统状态' },
    { path: '/funnel', label: '漏斗看板' },
  ],
};

export const homeOf = (role: StaffRole): string => NAV[role][0]!.path;

/** A `next` parameter that stays on this site (no `//host` or scheme), or null. */
export function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}
