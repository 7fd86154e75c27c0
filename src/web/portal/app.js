// The debtor portal: identity check, my claims, claim detail, objection, hardship request and
// statement of means. Every text from the server is inserted with textContent, never as HTML.

(() => {
  const $ = (id) => document.getElementById(id);
  const VIEWS = ['loading', 'login', 'verify', 'claims', 'claim', 'objection', 'paid', 'hardship', 'means'];
  const CHALLENGE_KEY = 'lmp.portal.challenge';

  const STAGES = {
    intake: '受理审查',
    people_mediation: '人民调解',
    court_mediation: '法院诉前调解',
    litigation: '诉讼',
    enforcement: '强制执行',
    credit_repair: '信用修复',
    closed: '已结案',
  };
  const STATUSES = {
    screening: '审查中',
    needs_fix: '待补正',
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
    measures: '执行中',
    fulfilled: '已履行完毕',
    terminated: '终结本次执行',
    requested: '已申请',
    approved: '已批准',
    certified: '已出具证明',
    withdrawn: '债权人已撤回',
    rejected: '不予受理',
    objection_upheld: '异议成立，已结案',
    uncollectible: '已结案',
  };
  const HOLDS = {
    objection: '异议审查中：案件已暂停催收，等待答复。',
    hardship: '救助申请审核中：案件已暂停催收，等待审核结果。',
  };
  const CATEGORIES = {
    amount_disputed: '金额有误',
    already_repaid: '已经还款',
    not_my_loan: '非本人借款',
    rate_above_cap: '利率超过法定上限',
    limitation_expired: '已过诉讼时效',
    other: '其他',
  };
  const OUTCOMES = { upheld: '异议成立', partially_upheld: '异议部分成立', rejected: '异议不成立' };
  const HARDSHIP_REASONS = {
    unemployment: '失业',
    illness: '重大疾病',
    disability: '残疾',
    disaster: '遭受灾害',
    other: '其他',
  };
  const HARDSHIP_STATUSES = { pending: '审核中', granted: '已批准', refused: '未批准' };
  const DEADLINES = { objection_reply: '异议答复期限', instalment: '下期还款日', stage: '本阶段期限' };
  const MEDIATION = ['people_mediation', 'court_mediation'];
  const OPEN = ['awaiting_contact', 'notified', 'in_session'];
  const SESSION_STATUSES = { scheduled: '已预约', open: '进行中', live: '进行中', ended: '已结束', closed: '已结束' };
  const CASE_KINDS = {
    judicial_confirmation: '司法确认',
    pre_litigation_mediation: '诉前调解',
    first_instance: '一审诉讼',
    enforcement: '强制执行',
    resumed_enforcement: '恢复执行',
  };
  const CASE_STATUSES = { pending: '法院审查中', granted: '已受理', refused: '不予确认', closed: '已结案' };
  const MEASURES = {
    account_freeze: '冻结账户',
    consumption_restriction: '限制高消费',
    dishonest_listing: '列入失信被执行人名单',
  };
  const PAYMENT_STATUSES = { confirmed: '已确认', reported: '待债权人确认', disputed: '债权人有异议' };
  const ERRORS = {
    identity_not_confirmed:
      '访问码或身份证号码后六位不正确，或因多次输入错误已暂停使用。请核对调解通知书和身份证，稍后再试。',
    otp_wrong: '短信验证码不正确，请重新输入。',
    otp_expired: '短信验证码已过期，请重新获取。',
    otp_used: '短信验证码已使用或已失效，请重新获取。',
    otp_attempts: '短信验证码错误次数过多，请重新获取。',
    otp_unknown: '登录已失效，请重新输入访问码。',
    otp_send_limit: '短信发送过于频繁，请使用最近收到的验证码，或稍后再试。',
    no_phone: '系统中没有您的手机号码，无法发送验证码。请联系调解通知书上的调解组织。',
    objection_open: '该案件已有正在审查的异议，请等待答复后再提交。',
    claim_closed: '该案件已结案，无法提交。',
    too_many_files: '附件数量超过上限，请减少附件或合并为一个 PDF。',
    file_too_large: '附件过大，请压缩后重新上传。',
    type_mismatch: '文件内容与文件类型不符，请上传原始的 PDF、JPG 或 PNG 文件。',
    type_not_accepted: '仅接受 PDF、JPG 或 PNG 格式的证据材料。',
    bad_file_name: '文件名不合法，请重命名后重新上传。',
    hardship_pending: '所选案件已有正在审核的救助申请。',
    mixed_mediation_orgs: '所选案件由不同的调解组织办理，请分别提交申请。',
    amount_invalid: '请填写还款金额，例如 1500 或 1500.50（元）。',
    date_missing: '请填写还款日期。',
    receipt_missing: '请上传还款凭证（转账回单截图或 PDF）。',
  };
  const CODE_ERRORS = {
    rate_limited: '尝试次数过多，请稍后再试。',
    not_found: '未找到该案件。',
    validation_failed: '填写的内容有误，请检查后重试。',
    payload_too_large: '附件过大或过多。',
    unsupported_media_type: '仅接受 PDF、JPG 或 PNG 格式的证据材料。',
    unavailable: '短信暂时无法发送，请稍后再试。',
  };

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail || String(status));
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(method, url, body) {
    const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(url, init);
    const data = res.status === 204 ? null : await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, data || {});
    return data;
  }

  function show(view) {
    for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
    $('logout').hidden = ['loading', 'login', 'verify'].includes(view);
    window.scrollTo(0, 0);
  }

  function say(text) {
    $('notice').textContent = text;
    $('notice').hidden = !text;
  }

  function fail(err) {
    if (err instanceof ApiError && err.status === 401 && !err.problem.reason) {
      location.hash = '#/login';
      return;
    }
    const p = err instanceof ApiError ? err.problem : {};
    $('error').textContent = ERRORS[p.reason] || CODE_ERRORS[p.code] || '操作未能完成，请稍后重试。';
    $('error').hidden = false;
    window.scrollTo(0, 0);
  }

  function clearMessages() {
    $('error').hidden = true;
    $('error').textContent = '';
  }

  const yuan = (fen) =>
    `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const dateTime = (iso) =>
    iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';

  /** "1234.5" → 123450 fen; null when it is not an amount with at most two decimals. */
  function toFen(text) {
    const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(String(text).trim());
    return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function fill(parent, nodes) {
    parent.replaceChildren(...nodes);
  }

  function fact(dl, term, value) {
    dl.append(el('dt', term), el('dd', value));
  }

  const stageText = (c) => `${STAGES[c.stage] || c.stage} · ${STATUSES[c.status] || c.status}`;
  const deadlineText = (d) => (d ? `${DEADLINES[d.kind] || '期限'}：${d.date}` : '');

  // ---- identity check ----

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearMessages();
    const accessCode = $('login-code').value.trim();
    const idSuffix = $('login-suffix').value.trim().toUpperCase();
    if (!accessCode || !/^\d{5}[\dX]$/.test(idSuffix)) {
      fail(new ApiError(400, { code: 'validation_failed' }));
      return;
    }
    $('login-submit').disabled = true;
    try {
      const c = await api('POST', '/api/debtor/login', { accessCode, idSuffix });
      sessionStorage.setItem(
        CHALLENGE_KEY,
        JSON.stringify({ id: c.challengeId, phone: c.phoneMasked, expiresAt: c.expiresAt }),
      );
      $('login-suffix').value = '';
      location.hash = '#/verify';
    } catch (err) {
      fail(err);
    } finally {
      $('login-submit').disabled = false;
    }
  });

  $('verify-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearMessages();
    const challenge = JSON.parse(sessionStorage.getItem(CHALLENGE_KEY) || 'null');
    if (!challenge) {
      location.hash = '#/login';
      return;
    }
    const code = $('verify-code').value.trim();
    if (!/^\d{6}$/.test(code)) {
      fail(new ApiError(400, { reason: 'otp_wrong' }));
      return;
    }
    $('verify-submit').disabled = true;
    try {
      await api('POST', '/api/debtor/verify', { challengeId: challenge.id, code });
      sessionStorage.removeItem(CHALLENGE_KEY);
      $('verify-code').value = '';
      location.hash = '#/claims';
    } catch (err) {
      fail(err);
    } finally {
      $('verify-submit').disabled = false;
    }
  });

  $('logout').addEventListener('click', async () => {
    await api('POST', '/api/auth/logout').catch(() => null);
    say('');
    location.hash = '#/login';
  });

  // ---- claims ----

  async function showClaims() {
    const claims = await api('GET', '/api/debtor/claims');
    fill(
      $('claims-list'),
      claims.map((c) => {
        const li = el('li', null, 'card');
        const a = el('a', c.creditorName);
        a.href = `#/claim/${c.id}`;
        li.append(
          a,
          el('p', `合同编号：${c.contractNo}`),
          el('p', stageText(c)),
          el('p', `主张金额：${yuan(c.totalFen)}`),
        );
        if (c.aboveCapFen > 0) li.append(el('p', `其中超出法定利率上限部分：${yuan(c.aboveCapFen)}`, 'warning'));
        if (c.hold) li.append(el('p', HOLDS[c.hold], 'notice'));
        if (c.nextDeadline) li.append(el('p', deadlineText(c.nextDeadline)));
        return li;
      }),
    );
    $('claims-empty').hidden = claims.length > 0;
    show('claims');
  }

  async function showClaim(id) {
    const c = await api('GET', `/api/debtor/claims/${id}`);
    $('claim-title').textContent = `${c.creditorName} · ${c.contractNo}`;
    $('claim-hold').textContent = c.hold ? HOLDS[c.hold] : '';
    $('claim-hold').hidden = !c.hold;

    const facts = $('claim-facts');
    facts.replaceChildren();
    fact(facts, '债权人', c.creditorName);
    fact(facts, '合同编号', c.contractNo);
    fact(facts, '借款日期', c.loanDate);
    fact(facts, '到期日期', c.dueDate);
    fact(facts, '逾期天数', `${c.overdueDays} 天`);
    fact(facts, '当前阶段', stageText(c));
    fact(facts, '下一期限', c.nextDeadline ? deadlineText(c.nextDeadline) : '暂无');

    const a = c.amounts;
    const rows = [
      ['本金', a.principalFen],
      ['利息', a.interestFen],
      ['罚息（违约金）', a.penaltyFen],
      ['费用', a.feesFen],
      ['合计', a.totalFen],
    ];
    if (a.aboveCapFen > 0)
      rows.push(['超出法定利率上限部分（不受法律保护）', -a.aboveCapFen], ['依法可主张金额', a.enforceableFen]);
    fill(
      $('claim-amounts'),
      rows.map(([label, fen]) => {
        const tr = el('tr', null, fen < 0 ? 'above-cap' : '');
        tr.append(el('th', label), el('td', fen < 0 ? `−${yuan(-fen)}` : yuan(fen)));
        return tr;
      }),
    );
    const capNote = [];
    if (c.rate) capNote.push(`合同年利率 ${(c.rate.annualRateBp / 100).toFixed(2)}%`);
    if (c.rate?.aboveCap) capNote.push(`超过适用的法定上限 ${(c.rate.capBp / 100).toFixed(2)}%，超出部分不受法律保护`);
    $('claim-cap').textContent = capNote.join('，');
    $('claim-cap').hidden = !c.rate?.aboveCap;

    fill(
      $('claim-documents'),
      c.documents.length
        ? c.documents.map((d) => {
            const li = el('li');
            const link = el('a', `${d.title} ${d.docNo}${d.version > 1 ? `（第 ${d.version} 版）` : ''}`);
            link.href = `/api/documents/${d.id}/pdf`;
            li.append(link);
            return li;
          })
        : [el('li', '暂无文书', 'hint')],
    );

    fill(
      $('claim-sessions'),
      c.sessions.length
        ? c.sessions.map((s) => {
            const li = el(
              'li',
              (SESSION_STATUSES[s.status] || s.status) + (s.scheduledAt ? `，预约时间 ${dateTime(s.scheduledAt)}` : ''),
            );
            // The room takes part from when the mediator starts the session until it ends.
            if (s.status === 'live') {
              const join = el('a', '进入在线调解室', 'button');
              join.href = `/portal/room?session=${s.id}`;
              join.id = `session-join-${s.id}`;
              li.append(' ', join);
            } else if (s.status === 'scheduled')
              li.append(el('span', '（调解员开始调解后，可在此进入在线调解室）', 'hint'));
            return li;
          })
        : [el('li', '暂无调解会话', 'hint')],
    );

    const schedule = $('claim-schedule');
    schedule.replaceChildren();
    if (!c.settlements.length) schedule.append(el('p', '暂无还款计划', 'hint'));
    for (const s of c.settlements) {
      schedule.append(el('p', `协议金额 ${yuan(s.totalFen)}${s.hardship ? '（特殊群体救助方案）' : ''}`));
      const table = el('table', null, 'amounts');
      const body = el('tbody');
      for (const i of s.instalments) {
        const tr = el('tr');
        tr.append(
          el('th', `第 ${i.seq} 期 ${i.dueDate}`),
          el(
            'td',
            yuan(i.amountFen) +
              (i.paidFen >= i.amountFen ? ' 已还清' : i.paidFen > 0 ? ` 已还 ${yuan(i.paidFen)}` : ''),
          ),
          el('td', i.paidFen >= i.amountFen ? '' : `附言：${i.transferMemo}`, 'memo'),
        );
        body.append(tr);
      }
      table.append(body);
      schedule.append(table);
    }

    const pay = c.paymentInstructions;
    $('claim-pay').hidden = !pay || c.stage === 'closed';
    if (pay) {
      $('claim-payee').replaceChildren(
        ...[
          ['户名', pay.payeeName],
          ['开户行', pay.payeeBank],
          ['账号', pay.payeeAccount],
        ].flatMap(([k, v]) => [el('dt', k), el('dd', v)]),
      );
      $('claim-paid').href = `#/claim/${c.id}/paid`;
    }

    fill(
      $('claim-payments'),
      c.payments.length
        ? c.payments.map((p) =>
            el('li', `${p.paidOn} 还款 ${yuan(p.amountFen)}（${PAYMENT_STATUSES[p.status] || p.status}）`),
          )
        : [el('li', '暂无还款记录', 'hint')],
    );
    $('claim-balance').textContent = `已还 ${yuan(c.balance.paidFen)}，尚欠 ${yuan(c.balance.owedFen)}`;

    fill(
      $('claim-court-cases'),
      c.courtCases.length
        ? c.courtCases.map((k) => {
            const parts = [`${CASE_KINDS[k.kind] || k.kind}：${k.caseNo || '案号待法院编立'}`];
            // A case the clerk registered under its number is filed, not still before the court's review.
            parts.push(k.status === 'pending' && k.caseNo ? '已立案' : CASE_STATUSES[k.status] || k.status);
            if (k.filedOn) parts.push(`申请/立案日 ${k.filedOn}`);
            if (k.decidedOn) parts.push(`决定日 ${k.decidedOn}`);
            if (k.judgment?.performanceDueOn) parts.push(`判决履行期限至 ${k.judgment.performanceDueOn}`);
            if (k.reason) parts.push(`理由：${k.reason}`);
            return el('li', parts.join('，'));
          })
        : [el('li', '暂无法院案件', 'hint')],
    );

    fill(
      $('claim-credit-records'),
      c.creditRecords.length
        ? c.creditRecords.map((r) => {
            const parts = [MEASURES[r.kind] || r.kind];
            if (r.listedOn) parts.push(`${r.listedOn} 起`);
            if (r.removedOn) parts.push(`已于 ${r.removedOn} 解除`);
            else if (r.removalDueOn) parts.push(`应于 ${r.removalDueOn} 前解除`);
            return el('li', parts.join('，'));
          })
        : [el('li', '暂无执行措施', 'hint')],
    );

    fill($('claim-objections'), c.objections.length ? c.objections.map(objectionCard) : [el('li', '暂无异议', 'hint')]);

    const object = $('claim-object');
    object.hidden = !c.canObject;
    object.href = `#/claim/${c.id}/objection`;
    // A plan can be proposed while the claim is open for mediation and not on hold.
    const plan = $('claim-plan');
    plan.hidden = !(MEDIATION.includes(c.stage) && OPEN.includes(c.status) && !c.hold);
    plan.href = `/portal/plan?claim=${c.id}`;
    show('claim');
  }

  function objectionCard(o) {
    const li = el('li', null, 'card');
    li.append(
      el('p', `${CATEGORIES[o.category] || o.category} · 提交于 ${dateTime(o.createdAt)}`),
      el('p', o.statement, 'quote'),
    );
    if (o.attachments.length) li.append(el('p', `证据材料：${o.attachments.map((f) => f.fileName).join('、')}`));
    if (o.status === 'open') li.append(el('p', `审查中，答复期限：${o.replyDue}`, 'notice'));
    else {
      li.append(el('p', `处理结果：${OUTCOMES[o.outcome] || o.outcome}`, 'answer'), el('p', o.reasons, 'quote'));
      if (o.newAmounts) {
        const parts = [
          ['本金', 'principalFen'],
          ['利息', 'interestFen'],
          ['罚息', 'penaltyFen'],
          ['费用', 'feesFen'],
        ]
          .filter(([, k]) => o.newAmounts[k] !== undefined)
          .map(([label, k]) => `${label} ${yuan(o.newAmounts[k])}`);
        li.append(el('p', `调整后金额：${parts.join('，')}`));
      }
    }
    return li;
  }

  // ---- objection ----

  async function showObjection(id) {
    const c = await api('GET', `/api/debtor/claims/${id}`);
    $('objection-claim').textContent = `${c.creditorName} · 合同编号 ${c.contractNo}`;
    $('objection-back').href = `#/claim/${id}`;
    $('objection-form').dataset.claimId = String(id);
    $('objection-form').reset();
    show('objection');
  }

  $('objection-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearMessages();
    const id = $('objection-form').dataset.claimId;
    const category = $('objection-category').value;
    const statement = $('objection-statement').value.trim();
    if (!category || !statement) {
      fail(new ApiError(400, { code: 'validation_failed' }));
      return;
    }
    const form = new FormData();
    form.append('category', category);
    form.append('statement', statement);
    for (const file of $('objection-files').files) form.append('files', file, file.name);
    $('objection-submit').disabled = true;
    try {
      await api('POST', `/api/debtor/claims/${id}/objections`, form);
      say('异议已提交。案件已暂停催收，答复结果将以短信通知您。');
      location.hash = `#/claim/${id}`;
    } catch (err) {
      fail(err);
    } finally {
      $('objection-submit').disabled = false;
    }
  });

  // ---- I have paid ----

  async function showPaid(id) {
    const c = await api('GET', `/api/debtor/claims/${id}`);
    $('paid-claim').textContent = `${c.creditorName} · 合同编号 ${c.contractNo} · 尚欠 ${yuan(c.balance.owedFen)}`;
    $('paid-back').href = `#/claim/${id}`;
    $('paid-form').dataset.claimId = String(id);
    $('paid-form').reset();
    $('paid-date').value = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    show('paid');
  }

  /** `1,234.5` or `1234.50` yuan → fen; null when it is not an amount. */
  function fenOf(text) {
    const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(text.replace(/[,，\s¥]/g, ''));
    if (!m) return null;
    const fen = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
    return fen > 0 ? fen : null;
  }

  $('paid-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearMessages();
    const id = $('paid-form').dataset.claimId;
    const fen = fenOf($('paid-amount').value);
    if (fen === null) {
      fail(new ApiError(400, { reason: 'amount_invalid' }));
      $('paid-amount').focus();
      return;
    }
    if (!$('paid-date').value || $('paid-files').files.length === 0) {
      fail(new ApiError(400, { reason: $('paid-date').value ? 'receipt_missing' : 'date_missing' }));
      return;
    }
    const form = new FormData();
    form.append('amountFen', String(fen));
    form.append('paidAt', $('paid-date').value);
    form.append('channel', $('paid-channel').value);
    const note = $('paid-note').value.trim();
    if (note) form.append('note', note);
    for (const file of $('paid-files').files) form.append('files', file, file.name);
    $('paid-submit').disabled = true;
    try {
      await api('POST', `/api/debtor/claims/${id}/payments`, form);
      say(`已提交还款凭证（${yuan(fen)}），债权人核对后会确认。`);
      location.hash = `#/claim/${id}`;
    } catch (err) {
      fail(err);
    } finally {
      $('paid-submit').disabled = false;
    }
  });

  // ---- hardship ----

  async function showHardship() {
    const [claims, requests] = await Promise.all([
      api('GET', '/api/debtor/claims'),
      api('GET', '/api/debtor/hardship'),
    ]);
    fill(
      $('hardship-requests'),
      requests.map((r) => {
        const li = el('li', null, 'card');
        li.append(
          el('p', `${HARDSHIP_REASONS[r.reason] || r.reason} · ${HARDSHIP_STATUSES[r.status] || r.status}`),
          el('p', `涉及案件：${r.claims.map((c) => c.contractNo).join('、')}`),
        );
        if (r.decisionNote) li.append(el('p', r.decisionNote, 'quote'));
        if (r.plan)
          li.append(el('p', `救助方案：减免利息和罚息，最长可分 ${r.plan.maxInstalments} 期还款。`, 'answer'));
        return li;
      }),
    );
    const open = claims.filter((c) => c.stage !== 'closed');
    fill(
      $('hardship-claims'),
      open.length
        ? open.map((c) => {
            const label = el('label', null, 'check');
            const box = el('input');
            box.type = 'checkbox';
            box.value = String(c.id);
            box.name = 'claimIds';
            label.append(box, document.createTextNode(` ${c.creditorName} · ${c.contractNo}`));
            return label;
          })
        : [el('p', '没有可以申请救助的案件。', 'hint')],
    );
    $('hardship-form').reset();
    show('hardship');
  }

  $('hardship-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearMessages();
    const ids = [...$('hardship-claims').querySelectorAll('input:checked')].map((b) => b.value);
    const reason = $('hardship-reason').value;
    const statement = $('hardship-statement').value.trim();
    if (!ids.length || !reason || !statement) {
      fail(new ApiError(400, { code: 'validation_failed' }));
      return;
    }
    const form = new FormData();
    for (const id of ids) form.append('claimIds', id);
    form.append('reason', reason);
    form.append('statement', statement);
    for (const file of $('hardship-files').files) form.append('files', file, file.name);
    $('hardship-submit').disabled = true;
    try {
      await api('POST', '/api/debtor/hardship', form);
      say('救助申请已提交，相关案件已暂停催收，审核结果将以短信通知您。');
      await showHardship();
    } catch (err) {
      fail(err);
    } finally {
      $('hardship-submit').disabled = false;
    }
  });

  // ---- statement of means ----

  async function showMeans() {
    const { statement } = await api('GET', '/api/debtor/means');
    const current = $('means-current');
    current.hidden = !statement;
    if (statement) {
      current.textContent =
        '已于 ' +
        dateTime(statement.createdAt) +
        ' 填写：月收入 ' +
        yuan(statement.monthlyIncomeFen) +
        '，必要支出 ' +
        yuan(statement.essentialExpensesFen) +
        '，抚养（赡养）' +
        statement.dependants +
        ' 人。';
      $('means-income').value = (statement.monthlyIncomeFen / 100).toFixed(2);
      $('means-expenses').value = (statement.essentialExpensesFen / 100).toFixed(2);
      $('means-dependants').value = String(statement.dependants);
    }
    show('means');
  }

  $('means-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearMessages();
    const monthlyIncomeFen = toFen($('means-income').value);
    const essentialExpensesFen = toFen($('means-expenses').value);
    const dependantsText = $('means-dependants').value.trim();
    if (monthlyIncomeFen === null || essentialExpensesFen === null || !/^\d{1,2}$/.test(dependantsText)) {
      fail(new ApiError(400, { code: 'validation_failed' }));
      return;
    }
    $('means-submit').disabled = true;
    try {
      await api('POST', '/api/debtor/means', {
        monthlyIncomeFen,
        essentialExpensesFen,
        dependants: Number(dependantsText),
      });
      say('收支情况已保存。');
      await showMeans();
    } catch (err) {
      fail(err);
    } finally {
      $('means-submit').disabled = false;
    }
  });

  // ---- routing ----

  async function route() {
    clearMessages();
    const hash = location.hash || '#/';
    const objection = /^#\/claim\/(\d+)\/objection$/.exec(hash);
    const paid = /^#\/claim\/(\d+)\/paid$/.exec(hash);
    const claim = /^#\/claim\/(\d+)$/.exec(hash);
    try {
      if (hash === '#/login') show('login');
      else if (hash === '#/verify') {
        const challenge = JSON.parse(sessionStorage.getItem(CHALLENGE_KEY) || 'null');
        if (!challenge) {
          location.hash = '#/login';
          return;
        }
        const until = new Date(challenge.expiresAt).toLocaleTimeString('zh-CN', {
          timeZone: 'Asia/Shanghai',
          hour: '2-digit',
          minute: '2-digit',
          hour12: false,
        });
        $('verify-sent').textContent = `验证码已发送至 ${challenge.phone}，请在 ${until} 前输入。`;
        show('verify');
        $('verify-code').focus();
      } else if (objection) await showObjection(objection[1]);
      else if (paid) await showPaid(paid[1]);
      else if (claim) await showClaim(claim[1]);
      else if (hash === '#/hardship') await showHardship();
      else if (hash === '#/means') await showMeans();
      else await showClaims();
    } catch (err) {
      fail(err);
    }
  }

  // The notice link carries the access code: take it into the form and out of the address bar.
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (code) {
    $('login-code').value = code;
    history.replaceState(null, '', `${location.pathname}#/login`);
  }
  window.addEventListener('hashchange', () => {
    if (location.hash !== '#/claims' && !/^#\/claim\/\d+$/.test(location.hash)) say('');
    route();
  });
  route();
})();
