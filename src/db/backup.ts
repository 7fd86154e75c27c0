/**
 * Online backup and restore of the platform database. The backup uses SQLite's backup API through
 * better-sqlite3 (a consistent copy while the server keeps writing); a restore refuses a file that
 * fails `PRAGMA integrity_check` and replaces the database and its WAL as one step.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** `integrity_check`'s verdict on `file`: 'ok' or what is wrong. */
export function integrityOf(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Copy the live database at `dbFile` to `target` (which must not exist yet), consistent as of one moment. */
export async function backupDatabase(dbFile: string, target: string): Promise<{ pages: number }> {
  if (fs.existsSync(target)) throw new Error(`备份文件 ${target} 已存在，请换一个文件名。`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(target);
    fs.chmodSync(target, 0o600);
    const verdict = integrityOf(target);
    if (verdict !== 'ok') throw new Error(`备份文件未通过完整性检查：${verdict}`);
    return { pages: totalPages };
  } finally {
    db.close();
  }
}

/** Put the backup `source` in place of the database at `dbFile`; run it with the server stopped. */
export function restoreDatabase(source: string, dbFile: string): void {
  const verdict = integrityOf(source);
  if (verdict !== 'ok') throw new Error(`备份文件 ${source} 未通过完整性检查，未恢复：${verdict}`);
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const staged = `${dbFile}.restoring`;
  fs.copyFileSync(source, staged);
  fs.chmodSync(staged, 0o600);
  for (const extra of ['-wal', '-shm']) fs.rmSync(`${dbFile}${extra}`, { force: true });
  fs.renameSync(staged, dbFile);
}
