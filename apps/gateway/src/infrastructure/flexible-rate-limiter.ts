import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitBucket, RateLimiter, RateLimitOutcome, RateLimitPolicy } from '../application/rate-limiter';

/** The one table the limiter keeps in RATE_LIMIT_DATABASE_URL; every bucket's keys carry the bucket's name. */
export const RATE_LIMIT_TABLE = 'gateway_rate_limits';

export interface RateLimitSettings {
  policies: Readonly<Record<RateLimitBucket, RateLimitPolicy>>;
  /** Shared by every gateway replica; without it each replica counts on its own. */
  postgresUrl?: string;
}

/**
 * Rate limiting on rate-limiter-flexible: each client gets a bucket of `points` tokens that
 * refills in full `duration` seconds after its first token was taken. With Postgres the
 * replicas share the buckets; a client already over its limit is then turned away from
 * memory without asking the database again, and if the database fails each replica falls
 * back to counting in memory rather than refusing or waving everyone through.
 */
export class FlexibleRateLimiter extends RateLimiter implements OnApplicationShutdown {
  private constructor(
    private readonly limiters: Readonly<Record<RateLimitBucket, RateLimiterAbstract>>,
    private readonly pool?: Pool,
  ) {
    super();
  }

  /** Resolves once the Postgres table exists, so a store that is unreachable stops the gateway at start-up. */
  static async create(settings: RateLimitSettings): Promise<FlexibleRateLimiter> {
    const { policies, postgresUrl } = settings;
    const buckets = Object.keys(policies) as RateLimitBucket[];
    if (!postgresUrl)
      return new FlexibleRateLimiter(
        byBucket(
          buckets,
          buckets.map((bucket) => memoryLimiter(bucket, policies[bucket])),
        ),
      );
    const pool = new Pool({ connectionString: postgresUrl, application_name: 'gateway-rate-limiter', max: 5 });
    pool.on('error', (error) => new Logger(FlexibleRateLimiter.name).warn(`Rate limit store connection failed: ${error.message}`));
    try {
      // The first limiter creates the table the others then share.
      const shared: RateLimiterPostgres[] = [];
      for (const bucket of buckets) shared.push(await postgresLimiter(pool, bucket, policies[bucket], shared.length > 0));
      return new FlexibleRateLimiter(byBucket(buckets, shared), pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async take(bucket: RateLimitBucket, clientKey: string): Promise<RateLimitOutcome> {
    const limiter = this.limiters[bucket];
    const outcome = (allowed: boolean, result: RateLimiterRes): RateLimitOutcome => ({
      bucket,
      allowed,
      limit: limiter.points,
      remaining: result.remainingPoints,
      resetInMs: Math.max(result.msBeforeNext, 0),
    });
    try {
      return outcome(true, await limiter.consume(clientKey));
    } catch (rejection) {
      // The library rejects with the bucket's state when it is empty, with an Error when it cannot count.
      if (rejection instanceof RateLimiterRes) return outcome(false, rejection);
      throw rejection;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }
}

function byBucket(buckets: readonly RateLimitBucket[], limiters: readonly RateLimiterAbstract[]): Record<RateLimitBucket, RateLimiterAbstract> {
  return Object.fromEntries(buckets.map((bucket, index) => [bucket, limiters[index]])) as Record<RateLimitBucket, RateLimiterAbstract>;
}

function memoryLimiter(bucket: RateLimitBucket, { points, durationSeconds }: RateLimitPolicy): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix: bucket, points, duration: durationSeconds });
}

/** Postgres errors of two replicas creating the table at once; the loser finds the table there when it tries again. */
const CONCURRENT_CREATION = new Set(['23505', '42P07', '42710']);

async function postgresLimiter(pool: Pool, bucket: RateLimitBucket, policy: RateLimitPolicy, tableCreated: boolean): Promise<RateLimiterPostgres> {
  const create = () =>
    new Promise<RateLimiterPostgres>((resolve, reject) => {
      const limiter: RateLimiterPostgres = new RateLimiterPostgres(
        {
          storeClient: pool,
          storeType: 'pool',
          tableName: RATE_LIMIT_TABLE,
          tableCreated,
          keyPrefix: bucket,
          points: policy.points,
          duration: policy.durationSeconds,
          inMemoryBlockOnConsumed: policy.points + 1,
          insuranceLimiter: memoryLimiter(bucket, policy),
        },
        // Called back within the constructor when the table needs no creating, hence resolving a moment later.
        (error?: Error) => (error ? reject(error) : queueMicrotask(() => resolve(limiter))),
      );
    });
  return create().catch((error: { code?: string }) => (CONCURRENT_CREATION.has(error.code ?? '') ? create() : Promise.reject(error)));
}
