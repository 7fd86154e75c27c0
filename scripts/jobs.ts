/** Run one job once and exit: `npm run jobs -- <name>`; without a name it lists the jobs. */
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import type { JobInput } from '../src/jobs/job-context.js';
import { describeSchedule, planSchedule } from '../src/jobs/schedule.js';

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const planned = planSchedule(config, process.env);
  const name = process.argv[2];
  const job = planned.find((j) => j.name === name);
  if (!job) {
    console.error(name ? `没有名为“${name}”的任务。` : '用法：npm run jobs -- <任务名>');
    console.error(`可运行的任务：\n${planned.map((j) => `  ${j.name}（${describeSchedule(j.schedule)}）`).join('\n')}`);
    return 2;
  }
  const module = (await import(`../src/jobs/${job.file}.ts`)) as { main(input: JobInput): Promise<unknown> };
  const started = Date.now();
  const result = (await module.main({ env: process.env, dbFile: path.join(config.dataDir, 'platform.db') })) as {
    failed?: number;
    errors?: { key: string; error: string }[];
  };
  console.log(`任务 ${job.name} 已运行完毕，用时 ${Date.now() - started} 毫秒：${JSON.stringify(result)}`);
  if (result.failed) {
    console.error(`${result.failed} 项出错，将在下次运行时重试：`);
    for (const e of result.errors ?? []) console.error(`  ${e.key}：${e.error}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `任务运行失败：${(err as Error)?.message ?? err}`);
    process.exit(1);
  },
);
