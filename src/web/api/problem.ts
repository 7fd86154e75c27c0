/**
 * Turning an ApiError into what a person reads: the server's title (its Chinese sentence once the
 * error catalogue answers Accept-Language: zh) and its field messages, keyed by the form field they name.
 */
import type { FormInstance } from 'antd';
import { ApiError } from './client';

/** Messages for failures that are the client's own to explain. */
const OWN_MESSAGES: Record<number, string> = {
  0: '无法连接服务器，请检查网络或稍后重试；已填写的内容仍然保留。',
  401: '登录已过期，请重新登录后再试；已填写的内容仍然保留。',
};

/** One sentence for the person: what went wrong and what to do. */
export function problemMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return '出现意外错误，请刷新页面后重试。';
  const own = OWN_MESSAGES[err.status];
  if (own) return own;
  if (err.problem?.title) return err.problem.title;
  return `请求失败（HTTP ${err.status}），请稍后重试。`;
}

/** `/body/orgId` → `orgId`, `/body/policy/maxInstalments` → `policy.maxInstalments`. */
export function fieldNameOf(pointer: string): string {
  return pointer.replace(/^\/(body|query|querystring|params)\/?/, '').replace(/\//g, '.');
}

/** The problem's field messages by field name. */
export function fieldMessages(err: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!(err instanceof ApiError)) return out;
  for (const f of err.problem?.fields ?? []) {
    const name = fieldNameOf(f.field);
    out.set(name, [...(out.get(name) ?? []), f.message]);
  }
  return out;
}

/**
 * Show each field message beside its form control; answer the messages that name no control of the
 * form, for the page to show above it.
 */
export function showFieldErrors(form: FormInstance, err: unknown, known: readonly string[]): string[] {
  const rest: string[] = [];
  const fields: { name: string[]; errors: string[] }[] = [];
  for (const [name, messages] of fieldMessages(err)) {
    const top = name.split('.')[0]!;
    if (known.includes(name)) fields.push({ name: name.split('.'), errors: messages });
    else if (known.includes(top)) fields.push({ name: [top], errors: messages });
    else rest.push(...messages.map((m) => (name ? `${name}：${m}` : m)));
  }
  form.setFields(fields);
  return rest;
}
