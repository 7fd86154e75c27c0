/** The small Chinese page a person sees at the verify link printed on a document. */
import { shanghaiDateTime } from '../../domain/dates.js';
import type { FileCheck, Verification } from './schemas.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Whether the Accept header ranks text/html above JSON (a browser), by quality value. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { type: type.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const quality = (mime: string) => {
    const [major] = mime.split('/');
    return Math.max(
      0,
      ...ranges.filter((r) => r.type === mime || r.type === `${major}/*` || r.type === '*/*').map((r) => r.q),
    );
  };
  return quality('text/html') > quality('application/json');
}

export const VERIFY_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const page = (body: string) => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>文书核验</title>
<style>
body { font-family: "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f5f6f8; color: #1d2129; }
main { max-width: 34rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h1 { font-size: 1.3rem; margin-top: 0; }
.ok { color: #137333; font-weight: bold; } .bad { color: #b3261e; font-weight: bold; } .warn { color: #8a5300; }
dl { display: grid; grid-template-columns: 6em 1fr; gap: .4rem 1rem; } dt { color: #666; } dd { margin: 0; }
form { margin-top: 1.5rem; border-top: 1px solid #eee; padding-top: 1rem; } button { margin-top: .6rem; padding: .4rem 1.2rem; }
small { color: #888; }
</style>
</head>
<body><main>
<h1>文书核验</h1>
${body}
<p><small>本页只显示文书的种类、编号、出具单位和日期，不显示任何个人信息。</small></p>
</main></body>
</html>
`;

function facts(v: Verification): string {
  return `<dl>
<dt>文书种类</dt><dd>${escapeHtml(v.title)}</dd>
<dt>文书编号</dt><dd>${escapeHtml(v.docNo)}</dd>
<dt>出具单位</dt><dd>${escapeHtml(v.issuer)}</dd>
<dt>出具日期</dt><dd>${escapeHtml(v.issuedOnText)}</dd>
<dt>版本</dt><dd>第 ${v.version} 版</dd>
</dl>
${v.superseded ? '<p class="warn">该文书已有更新的版本，请以最新版本为准。</p>' : ''}${signature(v)}`;
}

const METHOD_TEXT = { sms_code: '短信验证码', password_code: '登录密码及确认码' } as const;

/** Who confirmed a signed document and when (Beijing time), before the platform signed it. */
function signature(v: Verification): string {
  if (!v.signature) return '';
  const signers = v.signature.signers
    .map(
      (s) =>
        `<li>${escapeHtml(s.roleText)} ${escapeHtml(s.name)}：${escapeHtml(shanghaiDateTime(new Date(s.confirmedAt)))} 以${METHOD_TEXT[s.method]}确认</li>`,
    )
    .join('');
  return `\n<p class="ok">✔ 协议文本经各方当事人在线确认，并由平台于 ${escapeHtml(shanghaiDateTime(new Date(v.signature.signedAt)))}（北京时间）加盖电子签名。</p>\n<ul>${signers}</ul>`;
}

/** A revoked document says so before anything else, on every verify page. */
function details(v: Verification): string {
  const revoked =
    v.status === 'revoked'
      ? `<p class="bad">✘ 该文书已于${escapeHtml(v.revokedOnText ?? '')}被出具单位撤销，不能作为依据。</p>\n`
      : '';
  return revoked + facts(v);
}

const uploadForm = `<form method="post" enctype="multipart/form-data">
<label>上传您收到的 PDF 文件，核对它是否与登记的文书完全一致：<br><input type="file" name="file" accept="application/pdf" required></label><br>
<button type="submit">核对文件</button>
</form>`;

export function verifiedPage(v: Verification): string {
  if (v.status === 'revoked') return page(details(v));
  return page(`<p class="ok">✔ 该核验码对应一份由本平台登记的真实文书。</p>\n${details(v)}\n${uploadForm}`);
}

export function fileCheckPage(c: FileCheck): string {
  const verdict = c.unaltered
    ? '<p class="ok">✔ 您上传的文件与登记的文书完全一致，未被改动。</p>'
    : '<p class="bad">✘ 您上传的文件与登记的文书不一致，可能已被改动，请勿以此文件为准。</p>';
  return page(`${verdict}\n${details(c)}\n${uploadForm}`);
}

export function unknownCodePage(): string {
  return page(
    '<p class="bad">✘ 未找到与该核验码对应的文书。</p>\n<p>请核对文书页脚印制的核验码。若核验码无误仍无法查到，该文书可能不是本平台出具的。</p>',
  );
}
