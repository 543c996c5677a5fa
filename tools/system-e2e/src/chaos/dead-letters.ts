import { ApiResponse, Platform } from '../support/platform';

/** A dead letter as an operator sees it in the gateway's admin API, with the order it is about. */
export interface DeadLetterEntry {
  id: number;
  service: string;
  consumer: string;
  subject: string;
  kind: string;
  error: string;
  attempts: number;
  orderId?: string;
}

const PAGE_SIZE = 100;

interface DeadLetterPage {
  deadLetters: Array<Omit<DeadLetterEntry, 'orderId'>>;
  nextAfter: number | null;
}

/** The dead-letter queue as an operator works it, through the gateway's admin API (role ops). */
export class DeadLetterQueue {
  /** A dead letter's id never changes what it holds, so each one is read once. */
  private readonly orderIds = new Map<number, string | undefined>();

  constructor(
    private readonly platform: Platform,
    private readonly opsToken: string,
  ) {}

  /** Every dead letter, oldest first, page by page. */
  async list(): Promise<DeadLetterEntry[]> {
    const entries: DeadLetterEntry[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const page: ApiResponse<DeadLetterPage> = await this.platform.api<DeadLetterPage>(`/api/v1/admin/dead-letters?limit=${PAGE_SIZE}&after=${after}`, { token: this.opsToken });
      if (page.status !== 200) throw new Error(`Listing dead letters answered ${page.status}: ${JSON.stringify(page.body)}`);
      for (const summary of page.body.deadLetters) entries.push({ ...summary, orderId: await this.orderIdOf(summary.id) });
      after = page.body.nextAfter;
    }
    return entries;
  }

  /** The orders dead letters are about. */
  async orders(): Promise<Set<string>> {
    return new Set((await this.list()).flatMap((entry) => (entry.orderId ? [entry.orderId] : [])));
  }

  /** Replays each one as an operator would after a fix; returns the replays that were refused. */
  async replay(entries: readonly DeadLetterEntry[]): Promise<string[]> {
    const refused: string[] = [];
    for (const entry of entries) {
      const replay = await this.platform.api(`/api/v1/admin/dead-letters/${entry.id}/replay`, { method: 'POST', token: this.opsToken });
      if (replay.status !== 200) refused.push(`dead letter ${entry.id} (${entry.consumer}): replay answered ${replay.status} ${JSON.stringify(replay.body)}`);
    }
    return refused;
  }

  private async orderIdOf(id: number): Promise<string | undefined> {
    if (!this.orderIds.has(id)) {
      const { status, body } = await this.platform.api<{ payload?: { data?: { orderId?: unknown } } }>(`/api/v1/admin/dead-letters/${id}`, { token: this.opsToken });
      const orderId = body.payload?.data?.orderId;
      this.orderIds.set(id, status === 200 && typeof orderId === 'string' ? orderId : undefined);
    }
    return this.orderIds.get(id);
  }
}

/** One line per service, consumer, subject and kind, with how many and an example of the error. */
export function groupDeadLetters(entries: readonly DeadLetterEntry[]): Array<{ service: string; consumer: string; subject: string; kind: string; count: number; example: string }> {
  const groups = new Map<string, { service: string; consumer: string; subject: string; kind: string; count: number; example: string }>();
  for (const entry of entries) {
    const key = [entry.service, entry.consumer, entry.subject, entry.kind].join(' ');
    const group = groups.get(key) ?? { service: entry.service, consumer: entry.consumer, subject: entry.subject, kind: entry.kind, count: 0, example: entry.error };
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()];
}
