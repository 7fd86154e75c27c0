/**
 * What a refused room frame means to a person, by the error frame's stable code (frames.ts,
 * negotiation.ts); the proposal builder and the debtor's plan page say the same of a plan.
 */
const TEXT: Record<string, string> = {
  approval_required: '该方案超出债权人授权范围，请使用“批准”而不是“接受”。',
  approval_not_needed: '该方案在授权范围内，请直接接受。',
  proposal_superseded: '该方案已被新的方案取代，请答复最新的方案。',
  already_agreed: '该方案已经达成一致。',
  not_a_party: '只有当事人（债务人和债权人代表）可以答复方案；调解员负责提出方案。',
  unknown_proposal: '找不到要答复的方案，请刷新后重试。',
  claim_not_in_session: '方案包含不属于本次调解的案件。',
  claim_not_open: '案件当前状态不能再提出方案。',
  session_not_live: '调解尚未开始或已经结束，消息未发送。',
  kind_mismatch: '一次性还款只有一笔；分期还款至少两期。',
  instalments_sum: '各期金额之和与方案总额不一致。',
  dates_order: '各期还款日须依次在前一期之后。',
  due_in_past: '首期还款日不能早于今天。',
  above_enforceable: '方案总额超过可主张金额（超过法定利率上限的部分不计）。',
  plan_too_long: '分期期数超过允许的上限，请减少期数。',
  plan_pending: '您对该案件提出的上一个方案尚待答复，请等待答复后再提出新方案。',
  mixed_parties: '一个方案只能包含同一债权人的案件。',
  frame_too_large: '消息过长，请分几条发送。',
  rate_limited: '发送过于频繁，请稍候再发。',
  not_stored: '消息暂未保存，正在重新发送。',
  invalid_frame: '消息格式不正确，未发送。',
};

export function frameErrorText(body: { code: string }): string {
  return TEXT[body.code] ?? '消息未能发送，请稍后重试。';
}
