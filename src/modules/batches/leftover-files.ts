/** Files that imports cut short by a crash left behind. */
import fs from 'node:fs';
import path from 'node:path';
import type { BatchContext } from './context.js';

/** Files a day old at least go: an import from the command line may be running beside the server. */
const LEFTOVER_AGE_MS = 24 * 3_600_000;

/** Remove upload files older than a day. */
export function removeLeftovers({ clock, uploadDir }: BatchContext): void {
  const cutoff = clock.now().getTime() - LEFTOVER_AGE_MS;
  if (!fs.existsSync(uploadDir)) return;
  for (const name of fs.readdirSync(uploadDir)) {
    const file = path.join(uploadDir, name);
    if (fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
  }
}
