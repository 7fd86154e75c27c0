/**
 * One settlement over several contracts, told per contract (issue 15 item 3): each contract's share
 * of the total, its waiver and its part of every instalment, to the fen. Shares add up to the total
 * and each instalment's parts add up to the instalment, exactly; a claim never pays more than it owes.
 */

export interface AllocationClaim {
  claimId: number;
  /** What the contract is worth in the settlement: its enforceable amount (the part above the cap excluded). */
  owedFen: number;
  /** Interest and penalty a hardship relief waived on this claim (0 for a claim it does not cover). */
  reliefFen: number;
}

export interface ClaimAllocation {
  claimId: number;
  owedFen: number;
  shareFen: number;
  /** owed − share: what the creditor gives up on this contract (hardship relief included). */
  waivedFen: number;
  /** This contract's part of each instalment, in the plan's order. */
  instalmentsFen: number[];
}

/**
 * Splits `total` over the weights in proportion, to the integer: floors first, then the largest
 * remainders get one more (ties to the earlier item). No part exceeds its weight when total ≤ Σ weights.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  for (const w of [total, ...weights]) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`amounts must be non-negative integers: ${w}`);
  }
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) {
    if (total !== 0) throw new RangeError(`cannot apportion ${total} over nothing`);
    return weights.map(() => 0);
  }
  // BigInt: total × weight passes 2^53 for large settlements.
  const big = BigInt(sum);
  const exact = weights.map((w) => BigInt(total) * BigInt(w));
  const parts = exact.map((x) => Number(x / big));
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact
    .map((x, i) => ({ i, rem: x % big }))
    .sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left === 0) break;
    parts[i]! += 1;
    left--;
  }
  return parts;
}

/**
 * The per-contract truth of a settlement. A claim's share follows what it is settled from (owed less
 * its relief), so a relief granted on one claim lowers that claim's share alone; a total above the
 * relieved amounts takes the rest in proportion to the reliefs. Instalments are split in order over
 * what each claim still has to pay, and the last takes exactly the remainder of each.
 */
export function allocateSettlement(
  totalFen: number,
  claims: readonly AllocationClaim[],
  instalmentsFen: readonly number[],
): ClaimAllocation[] {
  const owed = claims.reduce((s, c) => s + c.owedFen, 0);
  if (totalFen > owed) throw new RangeError(`the total ${totalFen} fen is more than the ${owed} fen owed`);
  if (instalmentsFen.reduce((s, x) => s + x, 0) !== totalFen)
    throw new RangeError(`the instalments do not add up to the total ${totalFen} fen`);
  for (const c of claims) {
    if (c.reliefFen < 0 || c.reliefFen > c.owedFen)
      throw new RangeError(`claim ${c.claimId}: relief ${c.reliefFen} fen is outside 0..${c.owedFen}`);
  }
  const bases = claims.map((c) => c.owedFen - c.reliefFen);
  const baseSum = bases.reduce((s, b) => s + b, 0);
  const first = apportion(Math.min(totalFen, baseSum), bases);
  const rest = apportion(
    Math.max(0, totalFen - baseSum),
    claims.map((c) => c.reliefFen),
  );
  const shares = first.map((f, i) => f + rest[i]!);

  const remaining = [...shares];
  const parts: number[][] = claims.map(() => []);
  instalmentsFen.forEach((amount, j) => {
    const split = j === instalmentsFen.length - 1 ? [...remaining] : apportion(amount, remaining);
    split.forEach((p, i) => {
      parts[i]!.push(p);
      remaining[i]! -= p;
    });
  });
  return claims.map((c, i) => ({
    claimId: c.claimId,
    owedFen: c.owedFen,
    shareFen: shares[i]!,
    waivedFen: c.owedFen - shares[i]!,
    instalmentsFen: parts[i]!,
  }));
}
