/**
 * Agreements signed online (issue 19 item 8): when the parties have agreed, each confirms the
 * agreement's text with a one-time code, and the platform then signs the 调解协议书 PDF (PAdES), so
 * /verify reports who confirmed it and when. Who may see a settlement is decided in claims/access.ts.
 */
import type { Principal } from '../auth/principal.js';
import { confirmAgreement } from './confirm.js';
import type { AgreementDeps } from './context.js';
import type { ConfirmInput } from './schemas.js';
import { sendCode } from './send-code.js';
import { confirmedUnsigned, signAgreement } from './sign-agreement.js';
import { agreementState } from './state.js';

export type AgreementService = ReturnType<typeof createAgreementService>;

export function createAgreementService(deps: AgreementDeps, onError: (settlementId: number, err: unknown) => void) {
  // The confirmations are stored either way: a signing that fails is reported and tried again at the next start.
  const signNow = (settlementId: number) =>
    signAgreement(deps, settlementId).catch((err: unknown) => onError(settlementId, err));
  const state = (p: Principal, settlementId: number) =>
    deps.db.transaction((tx) => agreementState(tx, p, settlementId), { behavior: 'deferred' });
  return {
    /** The agreement's documents, the confirmations so far and whether it is signed. */
    state,
    /** Send the caller their one-time code for the agreement's text. */
    sendCode: (p: Principal, settlementId: number) => sendCode(deps, p, settlementId),
    /** Confirm with the code; the last of the two confirmations has the agreement signed before it answers. */
    async confirm(p: Principal, settlementId: number, input: ConfirmInput) {
      if (await confirmAgreement(deps, p, settlementId, input)) await signNow(settlementId);
      return state(p, settlementId);
    },

    /** Sign the agreements both parties confirmed that a stop or a failure left unsigned (at start). */
    async sweep() {
      for (const id of confirmedUnsigned(deps.db)) await signNow(id);
    },
  };
}
