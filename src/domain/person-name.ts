/** A person's name as a public page may show it: the first character, the rest starred (张三 → 张*, 欧阳娜娜 → 欧***). */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
