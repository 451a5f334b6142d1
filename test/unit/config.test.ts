import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SECRETS, loadConfig } from '../../internal/app/config.js';

const ROOT = resolve(import.meta.dirname, '../..');
const production = (env: Record<string, string>) => () => loadConfig({ NODE_ENV: 'production', STORAGE: 'sqlite', ...env });

/** Every AUTH_SECRET value written in a file of the repository a deployer may copy from. */
function secretsWrittenInRepository(): string[] {
  const found = new Set<string>(EXAMPLE_SECRETS);
  for (const file of ['docker-compose.yml', 'README.md', 'Dockerfile', 'test/support/store-matrix.ts']) {
    const text = readFileSync(resolve(ROOT, file), 'utf8');
    for (const match of text.matchAll(/AUTH_SECRET[=:]\s*['"]?([^\s'",$]{8,})/g)) {
      if (!/^[A-Z_]+$/.test(match[1]!)) found.add(match[1]!); // a constant's name, not a value
    }
    for (const match of text.matchAll(/SECRET = '([^']{8,})'/g)) found.add(match[1]!);
  }
  return [...found];
}

describe('configuration in production', () => {
  it('when STORAGE is not set, then it refuses to start rather than run on in-memory SQLite', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'Zx8#qL2!vR7@pK4$mN9%tB3^wE6&yU1*' })).toThrow(/STORAGE is required/);
  });

  it('when AUTH_SECRET is missing, then it refuses to start', () => {
    expect(production({})).toThrow(/AUTH_SECRET is required/);
  });

  it('when AUTH_SECRET is a value this repository shows anywhere, then it is refused', () => {
    const secrets = secretsWrittenInRepository();
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const secret of secrets) expect(production({ AUTH_SECRET: secret }), secret).toThrow(/AUTH_SECRET is refused/);
  });

  it.each(['a'.repeat(48), 'abababababababababababababababababab', 'my-example-key-for-the-agora-service-2026', 'placeholder-0123456789-0123456789-0123'])(
    'when AUTH_SECRET is %s (low entropy or a placeholder), then it is refused',
    (secret) => expect(production({ AUTH_SECRET: secret })).toThrow(/AUTH_SECRET is refused/),
  );

  it('when AUTH_SECRET looks random, then it starts', () => {
    expect(production({ AUTH_SECRET: 'q3V9x_LmT2ZkR8bWn4YcJ7pHs1FdG6uE0aKiOvNw' })().env).toBe('production');
  });

  it('when in development, then a missing secret is generated and flagged', () => {
    const config = loadConfig({});
    expect(config.authSecretGenerated).toBe(true);
    expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
  });
});

describe('limits', () => {
  it('when nothing is set, then sign-up and log-in are throttled and the store time limit is a few seconds', () => {
    const config = loadConfig({});
    expect(config.limits.authPerMinute).toBeGreaterThan(0);
    expect(config.limits.loginFailuresPerUsername).toBeGreaterThan(0);
    expect(config.storeTimeoutMs).toBe(5_000);
    expect(config.trustProxy).toBe(false);
  });

  it.each([['TRUST_PROXY', 'true', true], ['TRUST_PROXY', '2', 2], ['TRUST_PROXY', 'false', false]] as const)('when %s=%s, then %s', (name, raw, value) => {
    expect(loadConfig({ [name]: raw }).trustProxy).toBe(value);
  });
});
