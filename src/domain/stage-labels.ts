/** Chinese names of the funnel's stages and statuses, for pages, exports and files people read. */
import type { Stage, Status } from './lifecycle.js';

export const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  intake: '受理审查',
  people_mediation: '人民调解',
  court_mediation: '法院诉前调解',
  litigation: '诉讼',
  enforcement: '强制执行',
  credit_repair: '信用修复',
  closed: '已结案',
};

export const STATUS_LABELS: Readonly<Record<Status, string>> = {
  screening: '审查中',
  needs_fix: '待补正',
  limitation_review: '时效待债权人决定',
  awaiting_contact: '待联系',
  notified: '已通知',
  in_session: '调解中',
  agreed: '已达成协议',
  confirmation_applied: '司法确认审查中',
  confirmed: '协议已确认（可申请执行）',
  performing: '协议履行中',
  failed: '调解未成功',
  filed: '已立案',
  judged: '已判决',
  dismissed: '已驳回起诉',
  applied: '已申请执行',
  measures: '执行措施中',
  fulfilled: '已履行完毕',
  terminated: '终结本次执行',
  requested: '已申请',
  approved: '已批准',
  certified: '已出具证明',
  withdrawn: '已撤回',
  rejected: '不予受理',
  objection_upheld: '异议成立',
  uncollectible: '无法回收',
};
