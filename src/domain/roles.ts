/** Roles of staff accounts (DESIGN.md §2). Debtors have no account; they act through a portal token. */
export const USER_ROLES = ['admin', 'creditor', 'mediator', 'court'] as const;
export type UserRole = (typeof USER_ROLES)[number];
/** Who may reach a route: a staff role or a debtor signed in at the portal. */
export type Role = UserRole | 'debtor';

/** Kinds of organisation; a user's role must fit the kind of the organisation it belongs to. */
export const ORG_KINDS = ['platform', 'creditor', 'mediation_committee', 'court'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ROLE_FOR_ORG_KIND: Record<OrgKind, readonly UserRole[]> = {
  platform: ['admin'],
  creditor: ['creditor'],
  // A court's mediation centre staff are mediators of the court organisation.
  mediation_committee: ['mediator'],
  court: ['court', 'mediator'],
};

/** Lender types decide which interest cap applies (DOMAIN.md §2.2). */
export const LENDER_TYPES = ['licensed', 'local_financial', 'private'] as const;
export type LenderType = (typeof LENDER_TYPES)[number];
