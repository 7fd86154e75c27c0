/** Who is making a request, as resolved once by the auth plugin. */

import type { ApiKeyScope } from '../../domain/api-key-scopes.js';
import type { Actor, ActorKind } from '../../domain/lifecycle.js';
import type { OrgKind, Role, UserRole } from '../../domain/roles.js';
import { AppError } from '../../errors.js';

export type Principal =
  | { kind: 'user'; role: UserRole; userId: number; orgId: number; orgKind: OrgKind; name: string }
  | {
      kind: 'api_key';
      role: 'creditor';
      apiKeyId: number;
      orgId: number;
      orgKind: 'creditor';
      name: string;
      scopes: readonly ApiKeyScope[];
    }
  | { kind: 'debtor'; role: 'debtor'; debtorId: number; name: string };

const ACTOR_KIND: Record<Role, ActorKind | null> = {
  admin: null,
  creditor: 'creditor',
  mediator: 'mediator',
  court: 'court',
  debtor: 'debtor',
};

/** The lifecycle actor a principal acts as; admins operate the platform and act on no claim. */
export function actorOf(p: Principal): Actor | null {
  const kind = ACTOR_KIND[p.role];
  if (!kind) return null;
  const id = p.kind === 'user' ? p.userId : p.kind === 'api_key' ? p.apiKeyId : p.debtorId;
  return { kind, id, name: p.kind === 'api_key' ? `api-key:${p.name}` : p.name };
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'system' };

/** The id of the debtor acting through the portal; staff never act for them. */
export function debtorIdOf(p: Principal): number {
  if (p.kind !== 'debtor') throw new AppError('forbidden', 'Only the debtor can do this, through the portal.');
  return p.debtorId;
}

/** The lifecycle actor of the debtor acting through the portal. */
export function debtorActor(p: Principal): Actor {
  debtorIdOf(p);
  return actorOf(p)!;
}

/** The organisation a staff principal acts for; debtors have none. */
export function staffOrgId(p: Principal): number {
  if (p.kind === 'debtor') throw new AppError('forbidden', 'This is for staff of an organisation, not for debtors.');
  return p.orgId;
}
