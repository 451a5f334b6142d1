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

describe('token settings', () => {
  const strong = 'q3V9x_LmT2ZkR8bWn4YcJ7pHs1FdG6uE0aKiOvNw';
  const strongPrevious = 'Hk7_pW2nQ9vL4xZ8mT1cR6bY3sJ0fD5gA-uEiOaN';

  it('when nothing is set, then the issuer is agora, the audience agora-api, and no previous secret', () => {
    const config = loadConfig({});
    expect(config.authIssuer).toBe('agora');
    expect(config.authAudience).toBe('agora-api');
    expect(config.authSecretPrevious).toBeUndefined();
  });

  it('when AUTH_ISSUER, AUTH_AUDIENCE and AUTH_SECRET_PREVIOUS are set, then they are used', () => {
    const config = loadConfig({ AUTH_ISSUER: 'https://agora.example', AUTH_AUDIENCE: 'agora-mobile', AUTH_SECRET_PREVIOUS: strongPrevious });
    expect([config.authIssuer, config.authAudience, config.authSecretPrevious]).toEqual(['https://agora.example', 'agora-mobile', strongPrevious]);
  });

  it('when AUTH_SECRET_PREVIOUS is shorter than 32 characters, then it refuses to start in any environment', () => {
    expect(() => loadConfig({ AUTH_SECRET_PREVIOUS: 'short' })).toThrow(/AUTH_SECRET_PREVIOUS is too short/);
    expect(production({ AUTH_SECRET: strong, AUTH_SECRET_PREVIOUS: 'short' })).toThrow(/AUTH_SECRET_PREVIOUS is too short/);
  });

  it('when AUTH_SECRET_PREVIOUS is weak or a repository example in production, then it is refused like AUTH_SECRET', () => {
    for (const weak of [...EXAMPLE_SECRETS, 'a'.repeat(48), 'placeholder-0123456789-0123456789-0123']) {
      expect(production({ AUTH_SECRET: strong, AUTH_SECRET_PREVIOUS: weak }), weak).toThrow(/^AUTH_SECRET_PREVIOUS is refused when NODE_ENV=production/);
    }
    expect(() => loadConfig({ AUTH_SECRET_PREVIOUS: 'a'.repeat(48) })).not.toThrow();
  });

  it('when AUTH_SECRET_PREVIOUS looks random in production, then it starts', () => {
    expect(production({ AUTH_SECRET: strong, AUTH_SECRET_PREVIOUS: strongPrevious })().authSecretPrevious).toBe(strongPrevious);
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

describe('CORS_ORIGINS', () => {
  it('when it is unset or blank, then CORS is off (no origins)', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: '  ' }).corsOrigins).toEqual([]);
  });

  it('when it lists origins, then each is kept exactly, spaces and repeats dropped', () => {
    const raw = ' https://app.example.com, http://localhost:5173,https://app.example.com , http://[::1]:8080';
    expect(loadConfig({ CORS_ORIGINS: raw }).corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173', 'http://[::1]:8080']);
  });

  it.each([
    ['https://app.example.com/', 'did you mean https://app.example.com?'],
    ['https://app.example.com/api', 'did you mean https://app.example.com?'],
    ['https://App.Example.com', 'did you mean https://app.example.com?'],
    ['https://app.example.com:443', 'did you mean https://app.example.com?'],
    ['app.example.com', 'no path'],
    ['*', 'no path'],
    ['null', 'no path'],
    ['ftp://files.example.com', 'no path'],
  ])('when an entry is %s, then one line naming CORS_ORIGINS and the entry (%s)', (entry, hint) => {
    const load = () => loadConfig({ CORS_ORIGINS: `https://ok.example.com,${entry}` });
    expect(load).toThrow(/^CORS_ORIGINS=".*" is invalid: ".*" is not an origin: expected http\(s\):\/\/host\[:port\], no path/);
    expect(load).toThrow(`"${entry}" is not an origin`);
    expect(load).toThrow(hint);
  });
});

describe('home timelines', () => {
  it('when nothing is set, then timelines keep 800 entries and fan out below 10,000 followers', () => {
    expect(loadConfig({}).timelines).toEqual({ cap: 800, celebrityThreshold: 10_000, pollMs: 1_000 });
  });

  it('when set, then the values are used; out of range or not integers, then refused naming the variable', () => {
    expect(loadConfig({ TIMELINE_CAP: '50', TIMELINE_CELEBRITY_THRESHOLD: '0', TIMELINE_POLL_MS: '250' }).timelines).toEqual({ cap: 50, celebrityThreshold: 0, pollMs: 250 });
    expect(() => loadConfig({ TIMELINE_CAP: '5' })).toThrow(/^TIMELINE_CAP="5" is invalid/);
    expect(() => loadConfig({ TIMELINE_CELEBRITY_THRESHOLD: '-1' })).toThrow(/^TIMELINE_CELEBRITY_THRESHOLD="-1" is invalid/);
    expect(() => loadConfig({ TIMELINE_POLL_MS: '1e3' })).toThrow(/^TIMELINE_POLL_MS="1e3" is invalid/);
  });
});
