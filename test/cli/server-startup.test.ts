import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf, runCommand, STACK_FRAME, type Ran } from './run-command.js';

/** Start-up failures: one `agora:` line on stderr naming the variable, exit 1, no stack and no pino JSON there. */
function expectOneLine(result: Ran, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(linesOf(result.stderr)).toHaveLength(1);
  expect(result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stderr).not.toContain('{"level"');
  expect(result.stderr).toMatch(pattern);
}

describe('server start-up', { timeout: 90_000 }, () => {
  let busy: Server;
  let busyPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'agora-server-'));
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((done) => busy.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the port is taken, then one line names PORT, exit 1', async () => {
    const result = await runCommand('cmd/server.ts', [], { PORT: String(busyPort) });
    expectOneLine(result, new RegExp(`^agora: PORT=${busyPort}: the port is already in use on 127\\.0\\.0\\.1 \\(EADDRINUSE\\)`));
  });

  it.each([['999.1.1.1'], ['no-such-host.invalid']])('when HOST=%s does not resolve, then one line names HOST, exit 1', async (host) => {
    const result = await runCommand('cmd/server.ts', [], { HOST: host, PORT: '0' });
    expectOneLine(result, new RegExp(`^agora: HOST=${host.replace(/\./g, '\\.')}: not an IP address, and no such host name resolves`));
  });

  it('when HOST is an address this machine does not have, then one line names HOST, exit 1', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never a real machine's.
    const result = await runCommand('cmd/server.ts', [], { HOST: '192.0.2.1', PORT: '0' });
    expectOneLine(result, /^agora: HOST=192\.0\.2\.1: not an address of this machine \(EADDRNOTAVAIL\)/);
  });

  it('when SQLITE_PATH is in a directory that does not exist, then one line names SQLITE_PATH, exit 1', async () => {
    const path = join(dir, 'missing', 'agora.db');
    const result = await runCommand('cmd/server.ts', [], { SQLITE_PATH: path, PORT: '0' });
    expectOneLine(result, /^agora: SQLITE_PATH: cannot open the sqlite store: .*directory does not exist/);
  });

  it('when SQLITE_PATH is a directory, then one line names SQLITE_PATH, exit 1', async () => {
    const result = await runCommand('cmd/server.ts', [], { SQLITE_PATH: dir, PORT: '0' });
    expectOneLine(result, /^agora: SQLITE_PATH: cannot open the sqlite store: /);
  });
});
