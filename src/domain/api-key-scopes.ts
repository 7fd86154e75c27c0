/**
 * What an API key may do. A creditor's system gets a key for one job (send batches, read claims…),
 * not every right of the creditor's staff. Scopes are read by area and by reading or writing; a
 * route in no area (keys, users, organisations, sign-in) is never open to a key.
 */
export const API_KEY_SCOPES = [
  'batches:read',
  'batches:write',
  'claims:read',
  'claims:write',
  'documents:read',
  'documents:write',
  'templates:read',
  'templates:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

type Area = 'batches' | 'claims' | 'documents' | 'templates';

// First match wins: a claim's documents are documents, a claim's deliveries are claims.
const AREAS: [RegExp, Area][] = [
  [/^\/(api|ws)\/batches(\/|$)/, 'batches'],
  [/^\/(api|ws)\/documents(\/|$)|^\/api\/claims\/:id\/documents$|^\/api\/filing-lists(\/|$)/, 'documents'],
  [/^\/api\/templates(\/|$)/, 'templates'],
  [
    /^\/(api|ws)\/(claims|objections|hardship-requests|sessions|attachments|payments)(\/|$)|^\/api\/lifecycle$/,
    'claims',
  ],
];

/** The scope a key needs for `method` on the route `url` (as registered, e.g. `/api/claims/:id`), or null: no key may. */
export function scopeFor(method: string, url: string): ApiKeyScope | null {
  const area = AREAS.find(([pattern]) => pattern.test(url))?.[1];
  if (!area) return null;
  return `${area}:${method === 'GET' || method === 'HEAD' ? 'read' : 'write'}`;
}
