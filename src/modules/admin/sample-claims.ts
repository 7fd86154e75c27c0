/**
 * Realistic, deterministic sample claims: Chinese names and addresses, valid ID numbers and phones.
 * The demo seed and the sample batch files (fixtures) are made from it.
 */

import type { NormalizedClaimRow } from '../../domain/claim-row.js';
import { addDays, fromDayNumber, toDayNumber } from '../../domain/dates.js';
import { generateIdNumber } from '../../domain/id-number.js';
import { generatePhone } from '../../domain/phone.js';

/** xorshift32: the same seed gives the same claims on every machine. */
export function createRng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤庄洪';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文辉建华志红玉兰建国婷雪梅晨鹏飞宇浩然子涵欣怡梓轩嘉怡俊杰佳琪宏伟晓东海燕永强丽娟春梅志强金凤桂芳振华淑珍堃喆镕珺赟';
const CITIES = [
  ['福建省泉州市鲤城区', ['中山路', '温陵路', '新华路', '庄府巷']],
  ['福建省泉州市丰泽区', ['丰泽街', '田安路', '刺桐路', '东海大街']],
  ['福建省晋江市', ['世纪大道', '泉安路', '青阳街']],
  ['福建省石狮市', ['八七路', '宝岛路', '湖滨街']],
  ['福建省厦门市思明区', ['湖滨南路', '厦禾路', '莲前东路']],
] as const;

/** A sample claim is a row as the import's validation gives it, always with a rate and an address. */
export type SampleClaim = NormalizedClaimRow & { annualRateBp: number; address: string };

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const between = (rand: () => number, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

/** `count` sample claims as of `asOf`; `prefix` makes contract numbers unique per creditor. */
export function sampleClaims(
  rand: () => number,
  count: number,
  opts: { asOf: string; prefix: string; debtorPool?: number },
): SampleClaim[] {
  // A smaller pool of people than claims, so that some debtors owe several claims.
  const people = Array.from({ length: opts.debtorPool ?? Math.ceil(count * 0.85) }, () => {
    const given = pick(rand, [...GIVEN]) + (rand() < 0.7 ? pick(rand, [...GIVEN]) : '');
    const [district, streets] = pick(rand, CITIES);
    const phone = generatePhone(rand);
    return {
      name: pick(rand, [...SURNAMES]) + given,
      idNumber: generateIdNumber(rand, {
        addressCodes: ['350502', '350503', '350505', '350521', '350582', '350581', '350203'],
      }),
      phone,
      address: `${district}${pick(rand, streets)}${between(rand, 1, 399)}号${between(rand, 1, 30)}0${between(rand, 1, 6)}室`,
      email: rand() < 0.6 ? `u${phone.slice(-6)}${between(rand, 10, 99)}@example.cn` : null,
    };
  });
  const today = toDayNumber(opts.asOf);
  return Array.from({ length: count }, (_, i) => {
    const person = pick(rand, people);
    const overdueDays = pick(rand, [
      between(rand, 1, 90),
      between(rand, 91, 270),
      between(rand, 271, 360),
      between(rand, 361, 900),
    ]);
    const dueDate = fromDayNumber(today - overdueDays);
    const loanDate = addDays(dueDate, -pick(rand, [90, 180, 365, 730]));
    const principalFen = between(rand, 20, 500) * 10_000 + between(rand, 0, 99) * 100;
    const annualRateBp = pick(rand, [720, 1080, 1500, 1800, 2350, 2400, 3600]);
    // Unpaid interest: a quarter of the contract term's interest is still owed on average.
    const interestFen = Math.round(
      (principalFen * annualRateBp * (toDayNumber(dueDate) - toDayNumber(loanDate))) / 10_000 / 365 / 4,
    );
    return {
      contractNo: `${opts.prefix}${String(2024_000_000 + i * 7 + between(rand, 0, 6)).padStart(10, '0')}`,
      ...person,
      loanDate,
      dueDate,
      principalFen,
      interestFen,
      penaltyFen: Math.round(principalFen * 0.0005 * Math.min(overdueDays, 365)),
      feesFen: rand() < 0.3 ? between(rand, 1, 20) * 1_000 : 0,
      annualRateBp,
      overdueDays,
      guarantee: pick(rand, ['none', 'none', 'none', 'guarantor', 'mortgage', 'pledge'] as const),
      eServiceConsent: false,
    };
  });
}
