/** What a scenario hands back for bench/RESULTS.md: a section of markdown and its pass/fail checks. */
export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface Section {
  id: string;
  title: string;
  markdown: string;
  checks: Check[];
}

export const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
export const s = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;
export const ratio = (n: number) => `${n.toFixed(2)}×`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function checksTable(checks: Check[]): string {
  return table(['Check', 'Result', 'Detail'], checks.map((c) => [c.name, c.pass ? 'PASS' : '**FAIL**', c.detail]));
}

export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
