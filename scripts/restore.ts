/** `npm run restore -- <file>`: put a backup in place of the database; stop the server first. */
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import { restoreDatabase } from '../src/db/backup.js';

function main(): number {
  const source = process.argv[2];
  if (!source) {
    console.error('用法：npm run restore -- <备份文件>（请先停止服务器）');
    return 2;
  }
  const config = loadConfig(process.env);
  const dbFile = path.join(config.dataDir, 'platform.db');
  restoreDatabase(source, dbFile);
  console.log(`已用 ${path.resolve(source)} 恢复数据库 ${dbFile}。启动服务器前，请确认数据密钥与备份时相同。`);
  return 0;
}

try {
  process.exit(main());
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `恢复失败：${(err as Error)?.message ?? err}`);
  process.exit(1);
}
