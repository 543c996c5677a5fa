import { freePort, ProcessLogs } from '@orders/local-processes';
import { DEFAULT_DATABASE_URL, ensurePostgres } from './postgres';

describe('ensurePostgres', () => {
  const logs = new ProcessLogs('capture');

  it('uses the server at DATABASE_URL (or the default) without starting one', async () => {
    const configuredUrl = process.env.DATABASE_URL;
    const postgres = await ensurePostgres({ configuredUrl, localDir: '/nonexistent', logs });
    expect(postgres).toMatchObject({ url: configuredUrl ?? DEFAULT_DATABASE_URL, startedByStack: false });
  });

  it('refuses a configured DATABASE_URL that does not answer, without revealing its password', async () => {
    const configuredUrl = `postgres://admin:s3cret@127.0.0.1:${await freePort()}/postgres`;
    const attempt = ensurePostgres({ configuredUrl, localDir: '/nonexistent', logs });
    await expect(attempt).rejects.toThrow(
      /^DATABASE_URL is set to postgres:\/\/admin:\*\*\*@127\.0\.0\.1:\d+\/postgres, but that server does not accept connections \(.*ECONNREFUSED/,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});
