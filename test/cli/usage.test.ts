import { describe, expect, it } from 'vitest';
import { linesOf, runCommand, STACK_FRAME } from './run-command.js';

/** Each command line entry point, the name its errors start with, and its npm script. */
const COMMANDS = [
  { script: 'cmd/server.ts', name: 'agora', npm: 'npm start' },
  { script: 'cmd/migrate.ts', name: 'migrate', npm: 'npm run migrate' },
  { script: 'cmd/seed.ts', name: 'seed', npm: 'npm run seed' },
  { script: 'cmd/transfer.ts', name: 'transfer', npm: 'npm run transfer' },
  { script: 'cmd/export.ts', name: 'export', npm: 'npm run export' },
  { script: 'cmd/import.ts', name: 'import', npm: 'npm run import' },
  { script: 'bench/run.ts', name: 'bench', npm: 'npm run bench' },
  { script: 'bench/login-flood.ts', name: 'login-flood', npm: 'npm run bench:login-flood' },
] as const;

/** Each test starts one Node process with tsx; a shared, loaded machine can take a while. */
const TIMEOUT = 60_000;

/** A refused command line: exit 2, nothing on stdout, exactly one line on stderr and no stack. */
function expectRefused(result: { code: number | null; stdout: string; stderr: string }, name: string, says: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(linesOf(result.stderr)).toHaveLength(1);
  expect(result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stderr).toMatch(new RegExp(`^${name}: .*\\. Try --help\\.\\n$`));
  expect(result.stderr).toMatch(says);
}

// One process at a time: each is a Node start with tsx, and the machine may be shared.
describe.each(COMMANDS)('$script', ({ script, name, npm }) => {
  it.each([['--help'], ['-h']])('when run with %s, then it prints its usage on stdout and exits 0', async (flag) => {
    const result = await runCommand(script, [flag]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^Usage: ${npm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    expect(result.stdout).toContain('-h, --help');
  }, TIMEOUT);

  it('when --help follows another flag, even a bad one, then the usage still wins', async () => {
    const result = await runCommand(script, ['--no-such-flag', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: /);
  }, TIMEOUT);

  it('when given an unknown flag, then one line names it and the exit status is 2', async () => {
    expectRefused(await runCommand(script, ['--no-such-flag']), name, /unknown option --no-such-flag/);
  }, TIMEOUT);

  it('when given an unexpected argument, then one line names it and the exit status is 2', async () => {
    expectRefused(await runCommand(script, ['surprise']), name, /"surprise"/);
  }, TIMEOUT);
});

describe('bad values', () => {
  it.each([
    ['cmd/seed.ts', 'seed', ['--users', 'abc'], /--users must be a whole number of at least 2, not "abc"/],
    ['cmd/seed.ts', 'seed', ['--users=-5'], /--users must be a whole number/],
    ['cmd/seed.ts', 'seed', ['--posts', '-5'], /--posts needs a value/],
    ['cmd/seed.ts', 'seed', ['--posts', '1.5'], /--posts must be a whole number/],
    ['cmd/seed.ts', 'seed', ['--batch', '0'], /--batch must be a whole number of at least 1/],
    ['cmd/seed.ts', 'seed', ['--days'], /--days needs a value/],
    ['cmd/migrate.ts', 'migrate', ['status', '--dry-run'], /cannot be combined/],
    ['cmd/migrate.ts', 'migrate', ['--dry-run=yes'], /--dry-run takes no value/],
    ['bench/run.ts', 'bench', ['--scale', 'abc'], /--scale must be a whole number of at least 1, not "abc"/],
    ['bench/run.ts', 'bench', ['--scale', '10000,,100'], /--scale must be a comma-separated list/],
    ['bench/run.ts', 'bench', ['--scale', '10000', '--posts', '5'], /--scale sets the sizes itself/],
    ['bench/run.ts', 'bench', ['--users', '2'], /--users must be a whole number of at least 3/],
    ['bench/run.ts', 'bench', ['--duration=-1'], /--duration must be a whole number of at least 1/],
    ['bench/run.ts', 'bench', ['--port', '70000'], /--port must be a whole number from 1 to 65535/],
    ['cmd/transfer.ts', 'transfer', ['--to', 'postgres'], /--from is required/],
    ['cmd/transfer.ts', 'transfer', ['--from', 'sqlite:a.db', '--to', 'postgres', '--modules', 'users,comments'], /unknown module\(s\) comments/],
    ['cmd/transfer.ts', 'transfer', ['--from', 'sqlite:a.db', '--to', 'postgres', '--resume', '--verify'], /do not go together/],
    ['cmd/transfer.ts', 'transfer', ['--from', 'sqlite:a.db', '--to', 'postgres', '--batch', '0'], /--batch must be a whole number/],
    ['cmd/export.ts', 'export', [], /--out is required/],
    ['cmd/import.ts', 'import', ['--batch', 'x'], /--in is required|--batch/],
    ['bench/login-flood.ts', 'login-flood', ['--seconds', 'soon'], /--seconds must be a number of at least 1, not "soon"/],
    ['bench/login-flood.ts', 'login-flood', ['--seconds', '0.5'], /--seconds must be a number of at least 1/],
  ] as const)('when %s gets %j, then one line and exit 2', async (script, name, args, says) => {
    expectRefused(await runCommand(script, [...args]), name, says);
  }, TIMEOUT);

  it('when the benchmark is pointed at an unknown store, then one line lists the known ones and exits 2', async () => {
    const result = await runCommand('bench/run.ts', [], { STORAGE: 'oracle' });
    expectRefused(result, 'bench', /STORAGE="oracle" is invalid: expected one of sqlite, postgres/);
  }, TIMEOUT);
});
