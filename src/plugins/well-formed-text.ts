/**
 * Text that is not well-formed Unicode is refused where it enters (ASVS V5.1.4), with a 400 naming
 * the field: see domain/unicode-text.ts for why. The hook checks every JSON body, query string and
 * path; multipart readers call `assertWellFormed` on the fields they read, and the session socket
 * checks its frames with `malformedTextAt`.
 */
import fp from 'fastify-plugin';
import { MALFORMED_TEXT_MESSAGE, malformedTextAt } from '../domain/unicode-text.js';
import { AppError } from '../errors.js';

const malformed = (field: string) =>
  new AppError('validation_failed', `Fix ${field}: it ${MALFORMED_TEXT_MESSAGE}; send plain UTF-8 text.`, {
    fields: [{ field, message: MALFORMED_TEXT_MESSAGE }],
  });

/** Throw 400 naming the field when `value` holds text that is not well-formed. */
export function assertWellFormed(value: unknown, path: string): void {
  const field = malformedTextAt(value, path);
  if (field) throw malformed(field);
}

const decodes = (text: string) => {
  try {
    return malformedTextAt(decodeURIComponent(text.replace(/\+/g, ' ')), '') === null;
  } catch {
    return false;
  }
};

/**
 * The field of the raw URL whose percent-encoding is not UTF-8 (`%ED%A0%80`, `%FF`), or null: the
 * query parser keeps such text verbatim instead of failing, so it is checked before parsing.
 */
export function undecodableUrlPart(url: string): string | null {
  const [pathPart = '', query] = url.split('?', 2);
  if (!decodes(pathPart)) return '/params';
  for (const pair of query ? query.split('&') : []) {
    const [key = '', value = ''] = pair.split('=', 2);
    if (!decodes(key)) return '/querystring';
    if (!decodes(value)) return `/querystring/${key}`;
  }
  return null;
}

export default fp(
  async (app) => {
    // Before schema validation, for every route, so a refused string never reaches a handler.
    app.addHook('preValidation', async (request) => {
      const undecodable = undecodableUrlPart(request.url);
      if (undecodable) throw malformed(undecodable);
      assertWellFormed(request.params, '/params');
      assertWellFormed(request.query, '/querystring');
      assertWellFormed(request.body, '/body');
    });
  },
  { name: 'well-formed-text', dependencies: ['error-handler'] },
);
