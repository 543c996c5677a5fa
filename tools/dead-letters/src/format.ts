import { DeadLetter, DeadLetterPage } from '@orders/messaging';

const ERROR_COLUMN_WIDTH = 60;

/** Rows of cells as left-aligned columns. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_cell, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n');
}

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function formatPage(page: DeadLetterPage): string {
  if (page.deadLetters.length === 0) return 'No dead letters.';
  const rows = page.deadLetters.map((letter) => [
    String(letter.id),
    letter.failedAt,
    letter.service,
    letter.consumer,
    letter.subject,
    letter.kind,
    String(letter.attempts),
    shorten(letter.error, ERROR_COLUMN_WIDTH),
  ]);
  const lines = [table([['ID', 'FAILED AT', 'SERVICE', 'CONSUMER', 'SUBJECT', 'KIND', 'ATTEMPTS', 'ERROR'], ...rows])];
  if (page.nextAfter !== null) lines.push('', `More: list --after ${page.nextAfter}`);
  return lines.join('\n');
}

export function formatDeadLetter(letter: DeadLetter): string {
  const fields: Array<[string, string]> = [
    ['Id', String(letter.id)],
    ['Subject', letter.subject],
    ['Stream', `${letter.stream} #${letter.streamSequence}`],
    ['Service', letter.service],
    ['Consumer', letter.consumer],
    ['Failed at', letter.failedAt],
    ['Kind', letter.kind],
    ['Attempts', String(letter.attempts)],
    ['Error', letter.error],
  ];
  const headers = Object.entries(letter.headers).map(([name, value]) => `  ${name}: ${value}`);
  const payload = letter.payloadEncoding === 'json' ? JSON.stringify(letter.payload, null, 2) : String(letter.payload);
  const history = letter.history.map((failure) => [`  ${failure.attempt}`, failure.failedAt, failure.replica, failure.error]);
  return [
    table(fields.map(([label, value]) => [`${label}:`, value])),
    '',
    history.length > 0 ? `Failed deliveries:\n${table([['  ATTEMPT', 'FAILED AT', 'REPLICA', 'ERROR'], ...history])}` : 'Failed deliveries: not recorded',
    '',
    headers.length > 0 ? `Headers:\n${headers.join('\n')}` : 'Headers: none',
    '',
    `Payload (${letter.payloadEncoding}):`,
    payload,
  ].join('\n');
}

export function formatDepths(depths: Record<string, number>): string {
  const entries = Object.entries(depths).sort(([a], [b]) => a.localeCompare(b));
  const total = entries.reduce((sum, [, depth]) => sum + depth, 0);
  return table([['SERVICE', 'DEAD LETTERS'], ...entries.map(([service, depth]) => [service, String(depth)]), ['total', String(total)]]);
}
