/**
 * The typed API client, generated from the server's own OpenAPI document (scripts/openapi.ts), so a
 * page that calls the API as it is not fails the type check. Every call asks for Chinese messages
 * and reports a lost sign-in to the shell, which asks the user to sign in again in place.
 */
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './generated/openapi';

export type { components, operations, paths };
export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type Claim = Schemas['Claim'];
/** The JSON answer of an operation for a status. */
export type Answer<Op extends keyof operations, Status extends number = 200> = operations[Op]['responses'] extends {
  [S in Status]: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export const ACCEPT_LANGUAGE = 'zh-CN,zh;q=0.9';

/** A problem+json answer (or a failure to reach the server), thrown by `call`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.title ?? `HTTP ${status}`);
  }

  get code(): string | null {
    return this.problem?.code ?? null;
  }
}

type ExpiryListener = () => void;
const expiryListeners = new Set<ExpiryListener>();

/** Be told when a call answers 401: the sign-in has expired or was ended elsewhere. */
export function onSignInLost(listener: ExpiryListener): () => void {
  expiryListeners.add(listener);
  return () => expiryListeners.delete(listener);
}

/** Tell the shell that the server no longer knows this sign-in. */
export function reportSignInLost(): void {
  for (const listener of expiryListeners) listener();
}

/** URLs whose 401 means "not signed in yet", not "signed in and expired". */
const SIGN_IN_URLS = ['/api/auth/login', '/api/auth/me'];

export const api = createClient<paths>({ baseUrl: '', headers: { 'accept-language': ACCEPT_LANGUAGE } });
api.use({
  onResponse({ response }) {
    const path = new URL(response.url, window.location.origin).pathname;
    if (response.status === 401 && !SIGN_IN_URLS.includes(path)) reportSignInLost();
    return response;
  },
});

/** The answer's data, or an ApiError carrying its problem. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError(0, null);
  }
  if (result.response.ok) return result.data as T;
  const problem = result.error as Problem | undefined;
  throw new ApiError(result.response.status, problem && typeof problem === 'object' ? problem : null);
}

/** The answer of a request the typed client cannot make (a file, a multipart form), or its ApiError. */
async function fetchOk(url: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), 'accept-language': ACCEPT_LANGUAGE },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (response.ok) return response;
  if (response.status === 401) reportSignInLost();
  const problem = (await response.json().catch(() => null)) as Problem | null;
  throw new ApiError(response.status, problem);
}

/** Fetch a file (PDF, CSV) with the sign-in cookie as a Blob, for opening inline or saving. */
export async function fetchFile(url: string): Promise<Blob> {
  return (await fetchOk(url)).blob();
}

/**
 * Post JSON and answer the file it makes (a template's specimen PDF) as a Blob. JSON, never
 * text/plain: the server refuses a cookie-signed text/plain body, as another site's form could send one.
 */
export async function postForFile(url: string, json: unknown): Promise<Blob> {
  const init = { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } };
  return (await fetchOk(url, init)).blob();
}

/** Send a multipart form (an upload) and answer the JSON it gets back with its status. */
export async function postForm<T>(url: string, form: FormData): Promise<{ status: number; data: T }> {
  const response = await fetchOk(url, { method: 'POST', body: form });
  return { status: response.status, data: (await response.json()) as T };
}
