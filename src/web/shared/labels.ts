/**
 * Chinese names of the API's codes (stages, statuses, actions, roles…). The records are typed by the
 * generated API types, so a code the server adds fails the type check until it has a name here.
 */
import type { Claim, operations } from '../api/client';

type Org = operations['getOrganisations']['responses'][200]['content']['application/json'][number];
type User = operations['getUsers']['responses'][200]['content']['application/json'][number];
type Batch = operations['getBatchesById']['responses'][200]['content']['application/json'];
type Detail = operations['getClaimsById']['responses'][200]['content']['application/json'];
type CourtCase = Detail['courtCases'][number];
type Payment = Detail['payments'][number];
type Doc = operations['getClaimsByIdDocuments']['responses'][200]['content']['application/json'][number];
type Delivery = operations['getClaimsByIdDeliveries']['responses'][200]['content']['application/json']['items'][number];
type Objection = operations['getObjections']['responses'][200]['content']['application/json'][number];
type Hardship = operations['getHardshipRequests']['responses'][200]['content']['application/json'][number];
type ApiKey = operations['getApiKeys']['responses'][200]['content']['application/json'][number];
type Session = operations['getSessions']['responses'][200]['content']['application/json']['items'][number];

/** A record of names as the options of a select: code as the value, its name as the label. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
}

export { STAGE_LABELS, STATUS_LABELS } from '../../domain/stage-labels';

export const HOLD_LABELS: Record<NonNullable<Claim['hold']>, string> = {
  objection: '异议审查中',
  hardship: '救助申请审核中',
};

export const LOAN_CLASS_LABELS: Record<NonNullable<Claim['loanClass']>, string> = {
  normal: '正常',
  special_mention: '关注',
  substandard: '次级',
  doubtful: '可疑',
  loss: '损失',
};

export const GUARANTEE_LABELS: Record<Claim['guarantee'], string> = {
  none: '无',
  guarantor: '保证',
  mortgage: '抵押',
  pledge: '质押',
};

/** Lifecycle actions (GET /api/lifecycle); an action the server adds shows by its code until named. */
export const ACTION_LABELS: Record<string, string> = {
  screen_eligible: '审查通过',
  screen_needs_fix: '需要补正',
  screen_limitation_review: '诉讼时效可能届满，待债权人决定',
  proceed_despite_limitation: '债权人决定继续调解（已告知债务人时效）',
  resubmit: '重新提交审查',
  notify: '已送达调解通知',
  open_session: '开始调解',
  agree: '达成协议',
  apply_confirmation: '申请司法确认',
  confirm: '确认调解协议有效',
  refuse_confirmation: '不予确认',
  perform: '开始履行',
  fulfil: '履行完毕',
  breach: '违约',
  fail: '调解失败',
  time_out: '调解期限届满',
  escalate: '转法院诉前调解',
  file_suit: '提起诉讼',
  close_unresolved: '结案（未解决）',
  judge: '判决',
  dismiss: '驳回起诉',
  close_dismissed: '驳回后结案',
  apply_enforcement: '申请强制执行',
  take_measures: '采取执行措施',
  list_debtor: '纳入失信或限高名单',
  record_fulfilment: '执行完毕',
  terminate: '终结本次执行',
  resume: '恢复执行',
  close_uncollectible: '结案（无法回收）',
  request_repair: '申请信用修复',
  close_fulfilled: '履行完毕结案',
  approve_repair: '批准信用修复',
  certify_repair: '出具信用修复证明',
  close_repaired: '信用修复后结案',
  lapse_listing: '失信名单期限届满',
  withdraw: '撤回案件',
  place_hold: '暂停处理',
  release_hold: '解除暂停',
  uphold_objection: '异议成立结案',
  // Facts on the claim's chain that do not move it.
  'document.generated': '生成文书',
  'document.revoked': '撤销文书',
  'document.signed': '平台对文书加盖电子签名',
  'agreement.confirmed': '当事人在线确认调解协议',
  'document.opened': '债务人查阅送达文书（电子送达回执）',
  'document.public_notice': '法院公告送达',
  'document.served': '公告期满视为送达',
  'debtor.unreachable': '无法联系债务人',
  'debtor.reachable': '重新联系上债务人',
  'limitation.recounted': '诉讼时效重新起算',
  'payment.recorded': '登记还款',
  'payment.reported': '债务人报告已还款',
  'payment.disputed': '债权人对报告的还款提出异议',
  'plan.proposed': '债务人提出还款方案',
  objection_filed: '债务人提出异议',
  objection_commented: '债权人就异议发表意见',
  objection_decided: '异议已处理',
  hardship_requested: '债务人申请困难救助',
  hardship_granted: '准予困难救助',
  hardship_refused: '不予困难救助',
  'court_case.registered': '法院立案登记',
  'filing_list.added': '列入立案清单',
  'measure.recorded': '登记执行措施',
  'credit_record.term_ended': '失信名单期限届满，待法院删除',
  'credit_record.removed': '法院删除信用惩戒记录',
};
export const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;

export const ROLE_LABELS: Record<User['role'], string> = {
  admin: '平台管理员',
  creditor: '债权人',
  mediator: '调解员',
  court: '法院书记员',
};

export const ORG_KIND_LABELS: Record<Org['kind'], string> = {
  platform: '平台运营方',
  creditor: '债权人机构',
  mediation_committee: '人民调解委员会',
  court: '法院',
};

export const LENDER_TYPE_LABELS: Record<NonNullable<Org['lenderType']>, string> = {
  licensed: '持牌金融机构',
  local_financial: '地方金融组织',
  private: '民间借贷',
};

export const BATCH_STATUS_LABELS: Record<Batch['status'], string> = {
  receiving: '接收中',
  validating: '校验中',
  committing: '写入中',
  committed: '已导入',
  failed: '导入失败',
};

/** Screening outcomes of imported claims (batch report). */
export const SCREENING_LABELS: Record<string, string> = {
  eligible: '符合条件，进入人民调解',
  flagged: '有风险提示，进入人民调解',
  needs_fix: '需要补正',
  rejected: '不予受理（时效明显届满）',
};

/** Codes of rejected rows (batch report, errors.csv); an unnamed code shows as it is. */
export const ROW_ERROR_LABELS: Record<string, string> = {
  amount_format: '金额格式错误',
  amount_missing: '缺少金额',
  amount_negative: '金额为负数',
  contract_no_format: '合同编号格式错误',
  contract_no_missing: '缺少合同编号',
  contract_no_duplicate: '文件内合同编号重复',
  contract_no_exists: '合同编号已存在',
  date_format: '日期格式错误',
  date_invalid: '日期无效',
  date_missing: '缺少日期',
  dates_order: '日期先后顺序错误',
  due_before_loan: '到期日早于借款日',
  due_in_past: '到期日有误',
  days_format: '逾期天数格式错误',
  overdue_days_mismatch: '逾期天数与日期不符',
  email_format: '电子邮箱格式错误',
  id_format: '身份证号格式错误',
  id_checksum: '身份证号校验位错误',
  id_excel_scientific: '身份证号被 Excel 转成了科学计数法',
  id_missing: '缺少身份证号',
  name_format: '姓名格式错误',
  name_missing: '缺少姓名',
  phone_format: '手机号格式错误',
  phone_missing: '缺少手机号',
  rate_format: '利率格式错误',
  rate_missing: '缺少利率',
  rate_above_cap: '利率超过法定上限',
  guarantee_unknown: '担保方式无法识别',
  limitation_expired: '诉讼时效已届满',
  no_service_address: '没有可送达的地址',
  row_empty: '空行',
  row_too_long: '列数过多',
  row_too_short: '列数不足',
  text_format: '文字格式错误',
  text_too_long: '文字过长',
};
export const rowErrorLabel = (code: string) => ROW_ERROR_LABELS[code] ?? code;

export const DOCUMENT_KIND_LABELS: Record<Doc['kind'], string> = {
  demand_letter: '催告函',
  mediation_notice: '调解通知书',
  litigation_risk_notice: '诉讼风险告知书',
  mediation_agreement: '调解协议书',
  judicial_confirmation_application: '司法确认申请书',
  complaint: '起诉状',
  enforcement_application: '强制执行申请书',
  credit_repair_certificate: '信用修复证明',
  session_record: '调解笔录',
};

export const DELIVERY_STATUS_LABELS: Record<Delivery['status'], string> = {
  queued: '待发送',
  sending: '发送中',
  sent: '已发送',
  opened: '已查看',
  deferred: '已顺延',
  retrying: '重试中',
  failed: '发送失败',
  refused: '按规则未发送',
};

export const CHANNEL_LABELS: Record<string, string> = { email: '电子邮件', sms: '短信' };

export const OBJECTION_CATEGORY_LABELS: Record<Objection['category'], string> = {
  amount_disputed: '金额有误',
  already_repaid: '已经还款',
  not_my_loan: '非本人借款',
  rate_above_cap: '利率超过法定上限',
  limitation_expired: '已过诉讼时效',
  other: '其他',
};

export const OBJECTION_STATUS_LABELS: Record<Objection['status'], string> = { open: '待答复', decided: '已答复' };

export const OBJECTION_OUTCOME_LABELS: Record<NonNullable<Objection['outcome']>, string> = {
  upheld: '异议成立',
  partially_upheld: '异议部分成立',
  rejected: '异议不成立',
};

export const HARDSHIP_REASON_LABELS: Record<Hardship['reason'], string> = {
  unemployment: '失业',
  illness: '重大疾病',
  disability: '残疾',
  disaster: '遭受灾害',
  other: '其他',
};

export const HARDSHIP_DECISION_LABELS: Record<Exclude<Hardship['status'], 'pending'>, string> = {
  granted: '批准（免除利息和罚息，延长分期）',
  refused: '不予批准',
};

export const API_KEY_SCOPE_LABELS: Record<ApiKey['scopes'][number], string> = {
  'batches:read': '查看批次',
  'batches:write': '上传批次',
  'claims:read': '查看案件',
  'claims:write': '办理案件',
  'documents:read': '查看文书',
  'documents:write': '生成文书',
  'templates:read': '查看文书模板',
  'templates:write': '上传文书模板',
};

export const SESSION_STATUS_LABELS: Record<Session['status'], string> = {
  scheduled: '已预约',
  live: '进行中',
  ended: '已结束',
};

export const SESSION_MODE_LABELS: Record<Session['mode'], string> = {
  online: '在线',
  phone: '电话',
  video: '视频',
  onsite: '现场',
};

export const ACTOR_KIND_LABELS: Record<string, string> = {
  system: '系统',
  creditor: '债权人',
  mediator: '调解员',
  court: '法院',
  debtor: '债务人',
  job: '定时任务',
};

export const CASE_KIND_LABELS: Record<CourtCase['kind'], string> = {
  pre_litigation_mediation: '诉前调解',
  judicial_confirmation: '司法确认',
  first_instance: '一审（含调解书）',
  enforcement: '强制执行',
  resumed_enforcement: '恢复执行',
};

export const CASE_STATUS_LABELS: Record<CourtCase['status'], string> = {
  pending: '审查中',
  granted: '已作出（生效）',
  refused: '不予确认',
  closed: '已结案',
};

export const CASE_OUTCOME_LABELS: Record<string, string> = {
  agreed: '调解成功',
  failed: '调解不成',
  confirmed: '确认有效',
  refused: '不予确认',
  mediation_statement: '出具调解书',
};

export const PAYMENT_STATUS_LABELS: Record<Payment['status'], string> = {
  confirmed: '已确认',
  reported: '债务人申报，待债权人确认',
  disputed: '债权人有异议',
};

export const PAYMENT_SOURCE_LABELS: Record<Payment['source'], string> = {
  creditor: '债权人登记',
  import: '还款文件导入',
  debtor: '债务人申报',
};

export const MEASURE_LABELS: Record<Detail['creditRecords'][number]['kind'], string> = {
  account_freeze: '冻结账户',
  consumption_restriction: '限制高消费',
  dishonest_listing: '纳入失信被执行人名单',
};
