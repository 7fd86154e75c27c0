import { describe, expect, it } from 'vitest';
import { importSummary } from './import-summary.js';

describe('importSummary', () => {
  it('tells the staff in Chinese what was imported, screened and refused', () => {
    const text = importSummary(
      {
        dryRun: true,
        status: 'committed',
        total: 1000,
        accepted: 990,
        rejected: 10,
        skipped: 0,
        errorsByCode: { id_checksum: 7, phone_format: 3 },
        screening: { eligible: 900, needs_fix: 90 },
        warnings: [],
        failureDetail: null,
        errors: [],
      },
      2.34,
    );
    expect(text).toBe(
      [
        '状态：已导入（试运行：未写入任何数据）',
        '行数：读取 1,000，导入 990，拒收 10，此前已导入 0',
        '筛查：合格 900；待补正 90',
        '错误：身份证号校验位不正确，请核对号码。（id_checksum） 7；手机号应为以1开头的11位数字（可带+86）。（phone_format） 3',
        '用时：2.3 秒',
      ].join('\n'),
    );
  });
});
