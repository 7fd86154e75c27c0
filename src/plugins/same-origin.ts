/**
 * Cross-site request forgery defence for what a browser sends by itself (ASVS V4.2.2, V50): the
 * session cookie. A request that authenticates with the cookie and changes something, and every
 * websocket upgrade, must come from a page of PUBLIC_URL's origin, told by `Sec-Fetch-Site` or
 * `Origin`; such a request must also be JSON or multipart, which a cross-site form cannot send
 * without a CORS preflight. Bearer tokens and API keys are never sent by a browser on its own, so
 * requests carrying them are left alone.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];
const FORM_SAFE_TYPES = ['application/json', 'multipart/form-data'];

const crossSite = () =>
  new AppError(
    'forbidden',
    'This request did not come from a page of this platform, so the session cookie does not count for it. Use the platform in its own pages, or send a Bearer token.',
    { reason: 'cross_site_request' },
  );

/** Whether the request says it comes from `origin` (`https://host[:port]`): fetch metadata first, then Origin. */
function fromOrigin(request: FastifyRequest, origin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  // 'none' is the person typing the address or opening a bookmark, never another site's page.
  if (site === 'same-origin' || site === 'none') return true;
  if (site !== undefined) return false;
  return request.headers.origin === origin;
}

const isUpgrade = (request: FastifyRequest) => request.headers.upgrade?.toLowerCase() === 'websocket';

/** Refuse a request the browser may have sent for another site's page; `viaCookie` says how it authenticated. */
export function assertSameOrigin(request: FastifyRequest, origin: string, viaCookie: boolean): void {
  // A socket opened by another site's script is refused whatever credentials it carries.
  if (isUpgrade(request) && request.headers.origin !== undefined && request.headers.origin !== origin)
    throw crossSite();
  if (!viaCookie || (SAFE_METHODS.includes(request.method) && !isUpgrade(request))) return;
  if (!fromOrigin(request, origin)) throw crossSite();
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && !FORM_SAFE_TYPES.includes(type))
    throw new AppError(
      'unsupported_media_type',
      'With the session cookie, send the body as application/json or multipart/form-data.',
      { reason: 'cookie_content_type' },
    );
}
