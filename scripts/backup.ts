/** `npm run backup -- <file>`: an online copy of the database while the server runs. */
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import { backupDatabase } from '../src/db/backup.js';

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target) {
    console.error('用法：npm run backup -- <备份文件>');
    return 2;
  }
  const config = loadConfig(process.env);
  const { pages } = await backupDatabase(path.join(config.dataDir, 'platform.db'), target);
  console.log(`数据库已备份到 ${path.resolve(target)}（${pages} 页，完整性检查通过）。`);
  console.log(
    config.dataKey
      ? '提醒：个人信息和文件用数据密钥加密，密钥在环境变量 DATA_KEY 中，不在备份里。请把它另行妥善保存；没有密钥，备份无法读取。'
      : `提醒：个人信息和文件用数据密钥加密，密钥在 ${path.resolve(config.dataDir, 'data.key')}，不在备份里。请把它另行妥善保存（不要与备份放在一起）；没有密钥，备份无法读取。`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `备份失败：${(err as Error)?.message ?? err}`);
    process.exit(1);
  },
);
