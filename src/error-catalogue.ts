/**
 * The one catalogue of what our stable codes mean in Simplified Chinese (issue 15 item 14). API
 * `detail` stays English for integrators; people read these: the problem `title` when a request's
 * Accept-Language starts with `zh`, the 说明 column of errors.csv, the CLI summary and screening.
 */
import type { ErrorCode } from './errors.js';

/** Every error code of AppError: the problem+json `title` in Chinese. */
export const ERROR_TITLES_ZH: Readonly<Record<ErrorCode, string>> = {
  validation_failed: '请求内容有误，请按字段提示修改后重试',
  malformed_json: '请求正文不是有效的 JSON',
  unauthenticated: '请先登录',
  forbidden: '您的角色无权进行此操作',
  not_found: '未找到，或您无权查看',
  method_not_allowed: '不支持此请求方法',
  transition_forbidden: '案件当前状态不允许此操作',
  document_not_allowed: '案件当前状态不允许出具此文书',
  version_conflict: '他人已先行修改，请刷新后重试',
  duplicate: '已存在',
  job_running: '该任务正在运行，请待其结束后再试',
  payload_too_large: '请求内容过大',
  unsupported_media_type: '不支持的内容类型',
  unprocessable: '无法处理此请求',
  rate_limited: '请求过于频繁，请稍后再试',
  internal: '系统内部错误，请记下请求编号并联系管理员',
  unavailable: '服务暂不可用，请稍后重试',
};

/**
 * Why a step was refused, by its rule (the problem's `reason`) where the rule says more than its code:
 * what a person reads beside the claim, in a form or in a batch action's results.
 */
const RULES_ZH: Readonly<Record<string, string>> = {
  not_allowed_in_state: '案件当前所处的阶段和状态不能进行此操作',
  actor_not_permitted: '您的角色不能对处于此状态的案件进行此操作',
  condition_failed: '案件尚不满足此操作的条件',
  claim_on_hold: '案件因异议或困难救助审查而暂停，审查结束后才能进行此操作',
  claim_closed: '案件已结案，不能再进行此操作',
  window_closed: '法定期限已经届满，不能再进行此操作',
  needs_own_route: '此操作须在案件页面按其专门表单办理',
  no_court_case: '案件没有可办理此操作的法院案件，可能已由他人处理，请刷新后查看',
  wrong_case: '该法院案件的类型不能进行此操作',
  case_decided: '该法院案件已经处理完毕',
  case_not_registered: '该法院案件尚未立案编号',
  objection_open: '案件有尚未处理的异议',
  hardship_pending: '案件有尚未处理的困难救助申请',
  already_removed: '该记录已登记删除',
  removal_not_due: '尚未到删除该记录的时候：须先批准信用修复，或失信名单期限届满',
  not_agreement_party: '只有协议当事人（债务人和债权人代表）本人可以确认调解协议',
  agreement_not_ready: '调解协议书尚未生成，请稍候再确认',
  already_confirmed: '您已经确认过该调解协议',
  agreement_changed: '发送确认码后调解协议已重新生成，请阅读新的协议后重新获取确认码',
  code_wrong: '确认码不正确，请核对后重新输入',
  code_expired: '确认码已过期，请重新获取',
  code_used: '确认码已使用或已被新的确认码取代，请重新获取',
  code_attempts: '确认码错误次数过多，请重新获取',
  code_unknown: '该确认码不是发给您的，请重新获取',
  code_send_limit: '确认码发送过于频繁，请使用最近收到的确认码，或稍后再试',
  password_wrong: '登录密码不正确，请重新输入',
};

/** The Chinese title of a problem: its rule's sentence where there is one, else its code's. */
export const problemTitleZh = (code: ErrorCode, rule: string | null | undefined): string =>
  (rule ? RULES_ZH[rule] : undefined) ?? ERROR_TITLES_ZH[code];

/**
 * Row issues of a batch import (errors and warnings), by their stable code: the 说明 column of
 * errors.csv. Each says what to fix in the file.
 */
export const ROW_ISSUES_ZH: Readonly<Record<string, string>> = {
  row_empty: '该行为空。',
  row_too_long: '该行的列数多于表头。',
  row_too_short: '该行的列数少于表头。',
  csv_malformed: '该行不是有效的 CSV（引号不成对或分隔符有误）。',
  contract_no_missing: '合同编号为空。',
  contract_no_format: '合同编号只能包含字母、数字和“-”“_”“/”，且不能过长。',
  contract_no_duplicate: '同一文件中合同编号重复。',
  contract_no_exists: '已有一笔合同编号相同、但借款人身份证号不同的案件，请更正合同编号或身份证号。',
  name_missing: '借款人姓名为空。',
  name_format: '借款人姓名应为中文或英文字母，可用空格或“·”连接，长度需合理。',
  id_missing: '身份证号为空。',
  id_format: '身份证号应为18位，前17位为数字，末位为数字或X。',
  id_checksum: '身份证号校验位不正确，请核对号码。',
  id_birth_date: '身份证号中的出生日期（第7至14位）不是有效日期。',
  id_legacy_15: '这是1999年以前的15位身份证号，请提供现行的18位号码。',
  id_legacy_15_upgraded: '15位身份证号已升级为18位。',
  id_excel_truncated: '身份证号被 Excel 按数字截断（末尾变为000），请将该列设为文本后重新导出。',
  id_excel_scientific: '身份证号被 Excel 显示为科学计数法，请将该列设为文本后重新导出。',
  id_unknown_region: '身份证号前两位不是已知的省级代码，请核对号码。',
  phone_missing: '手机号为空。',
  phone_format: '手机号应为以1开头的11位数字（可带+86）。',
  phone_excel_scientific: '手机号被 Excel 显示为科学计数法，请将该列设为文本后重新导出。',
  phone_float_suffix: '手机号带有数字格式产生的“.0”后缀，已去除。',
  phone_virtual_operator: '该手机号属于虚拟运营商号段（162/165/167/170/171）。',
  email_format: '电子邮箱格式不正确。',
  text_too_long: '内容过长。',
  text_control_chars: '内容含有控制字符，请删除后重新导出。',
  text_format: '内容格式不正确。',
  date_missing: '日期为空。',
  date_format: '日期格式不正确，应为如2026-03-15的日期。',
  date_invalid: '不是有效的日历日期。',
  loan_date_future: '借款日期晚于导入当日。',
  due_before_loan: '到期日期早于借款日期。',
  amount_missing: '金额为空。',
  amount_format: '金额格式不正确，应为以元为单位的数字，最多两位小数。',
  amount_negative: '金额不能为负数。',
  amount_precision: '金额最多保留两位小数（到分）。',
  amount_too_large: '金额过大。',
  principal_zero: '欠款本金必须大于0。',
  rate_format: '年化利率格式不正确，应为如23.5%或0.235的数字。',
  rate_out_of_range: '年化利率超出合理范围。',
  days_format: '逾期天数应为不小于0的整数。',
  overdue_days_mismatch: '文件中的逾期天数与到期日推算的天数不符，已按到期日计算。',
  credit_code_missing: '统一社会信用代码为空。',
  credit_code_format: '统一社会信用代码应为18位，且不含字母I、O、S、V、Z。',
  credit_code_checksum: '统一社会信用代码校验位不正确，请核对。',
  guarantee_unknown: '担保方式无法识别，应为无、保证、抵押或质押。',
  e_service_consent_unknown: '电子送达确认只能填写是、否、yes或no（留空视为否），所填的值见“原值”列。',
  paid_at_future: '还款日期晚于导入当日。',
  amount_zero: '还款金额必须大于0。',
  reference_missing: '还款流水号为空。',
  contract_unknown: '没有该合同编号的案件，或该案件不属于您的机构。',
  claim_closed: '该案件已结案，不能再登记还款。',
  payment_reference_used: '该还款流水号已用于另一笔还款，请为本笔还款使用不同的流水号。',
};

/** Screening outcomes of imported claims, for the screening figures. */
export const SCREENING_OUTCOMES_ZH: Readonly<Record<string, string>> = {
  eligible: '合格',
  flagged: '利率超限已标记',
  needs_fix: '待补正',
  rejected: '不予受理',
  limitation_review: '诉讼时效待复核',
};

/** Batch statuses. */
export const BATCH_STATUSES_ZH: Readonly<Record<string, string>> = {
  validating: '校验中',
  committing: '写入中',
  committed: '已导入',
  failed: '失败',
};

/** Field messages our services write, in Chinese; schema failures are translated by keyword instead. */
const FIELD_MESSAGES_ZH: Readonly<Record<string, string>> = {
  'is required': '必填',
  'is not a known field': '不是可接受的字段',
  'is not a valid cursor': '不是有效的翻页标记',
  'must be a real date YYYY-MM-DD': '应为有效日期（YYYY-MM-DD）',
  'must not be after today': '不能晚于今天',
  'must not be before the listing day': '不能早于列入（采取措施）之日',
  'is in the past': '时间已过',
  'is in quiet hours': '处于免打扰时段（22:00至次日8:00）',
  'is not a file field': '不是文件字段',
  'is not the file field': '不是文件字段',
  'is too long': '内容过长',
  'is required for creditors': '债权人机构必填',
  'must be absent when the outcome is rejected': '驳回异议时不应填写',
  'is required when the outcome is partially_upheld': '部分支持异议时必填',
  'give either claimIds or filter, not both and not neither':
    '请给出案件编号列表或筛选条件之一（不能同时给出，也不能都不给）',
  'is required for record_measure': '登记执行措施时必填',
  'is only for record_measure': '仅在登记执行措施时填写',
};

const FIELD_PATTERNS_ZH: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^must hold at most (\d+) files$/, (m) => `最多上传${m[1]}个文件`],
  [/^a file is larger than (\d+) bytes$/, (m) => `有文件超过${m[1]}字节`],
  [/^(.+) is missing$/, (m) => `缺少${m[1]}`],
];

/** A field message in Chinese: catalogued text, a known pattern, or a general sentence. */
export function fieldMessageZh(message: string): string {
  const exact = FIELD_MESSAGES_ZH[message];
  if (exact) return exact;
  for (const [re, zh] of FIELD_PATTERNS_ZH) {
    const m = re.exec(message);
    if (m) return zh(m);
  }
  return '此项不符合要求，请核对后重试';
}

const TYPES_ZH: Readonly<Record<string, string>> = {
  string: '文本',
  integer: '整数',
  number: '数字',
  boolean: '布尔值（true 或 false）',
  object: '对象',
  array: '数组',
  null: '空值',
};

const FORMATS_ZH: Readonly<Record<string, string>> = {
  date: '日期（YYYY-MM-DD）',
  'date-time': '日期时间（ISO 8601）',
  email: '电子邮箱',
  uri: '网址',
};

/** A schema (Ajv) failure in Chinese, from its keyword and parameters. */
export function schemaMessageZh(keyword: string, params: Record<string, unknown>): string {
  const limit = params.limit;
  switch (keyword) {
    case 'required':
      return '必填';
    case 'additionalProperties':
      return '不是可接受的字段';
    case 'type':
      return `应为${String(params.type)
        .split(',')
        .map((t) => TYPES_ZH[t] ?? t)
        .join('或')}`;
    case 'enum':
      return `应为以下之一：${(params.allowedValues as unknown[] | undefined)?.join('、') ?? ''}`;
    case 'const':
      return `应为 ${String(params.allowedValue)}`;
    case 'minLength':
      return `至少${limit}个字符`;
    case 'maxLength':
      return `最多${limit}个字符`;
    case 'minimum':
      return `不能小于${limit}`;
    case 'maximum':
      return `不能大于${limit}`;
    case 'exclusiveMinimum':
      return `应大于${limit}`;
    case 'exclusiveMaximum':
      return `应小于${limit}`;
    case 'minItems':
      return `至少${limit}项`;
    case 'maxItems':
      return `最多${limit}项`;
    case 'uniqueItems':
      return '不能有重复项';
    case 'pattern':
      return '格式不正确';
    case 'format':
      return `应为${FORMATS_ZH[String(params.format)] ?? '规定'}格式`;
    case 'anyOf':
    case 'oneOf':
      return '不符合任何一种允许的形式';
    default:
      return '此项不符合要求，请核对后重试';
  }
}

/** The Chinese text for a row issue; the stored English detail when the code is not catalogued. */
export const rowIssueZh = (code: string, fallback: string): string => ROW_ISSUES_ZH[code] ?? fallback;
