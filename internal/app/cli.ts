import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ConfigError } from './config.js';

/**
 * The one command-line parser of every entry point (cmd/*, bench/*): `node:util`'s parseArgs,
 * strict, plus `-h`/`--help` (the usage on stdout, exit 0) and one-line errors (`<command>:
 * <message>. Try --help.` on stderr, exit 2). Nothing here prints a stack trace.
 */

/** Exit status of a command refused its command line (as for most Unix tools). */
export const USAGE_EXIT = 2;

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** The name every error line starts with, e.g. "seed". */
  command: string;
  /** The text `--help` prints (a trailing newline is added when missing). */
  usage: string;
  /** parseArgs options; `help` (`-h`) is added. No defaults: ask `values.x ?? fallback`. */
  options: O;
  /** Positional arguments the command takes (e.g. migrate's `status`); none unless listed. */
  positionals?: readonly string[];
  /** The arguments; process.argv after the script by default. */
  args?: readonly string[];
}

type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

export interface CommandLine<O extends ParseArgsOptionsConfig> {
  values: Values<O>;
  positionals: string[];
  /** Refuses the command line: one line on stderr, exit 2. */
  fail(message: string): never;
  /** `--name` as a whole number within [min, max], or `fallback` when absent. */
  integer(name: keyof O & string, fallback: number, range?: Range): number;
  /** `--name` as a decimal number within [min, max], or `fallback` when absent. */
  number(name: keyof O & string, fallback: number, range?: Range): number;
  /** `--name` as a comma-separated list of whole numbers within [min, max], or undefined when absent. */
  integers(name: keyof O & string, range?: Range): number[] | undefined;
}

export interface Range {
  min?: number;
  max?: number;
}

function writeLine(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Prints `<command>: <message>. Try --help.` as one line on stderr and exits 2. */
export function failUsage(command: string, message: string): never {
  writeLine(process.stderr, `${command}: ${oneLine(message).replace(/\.$/, '')}. Try --help.`);
  process.exit(USAGE_EXIT);
}

/** Prints `<prefix>: <message>` as one line on stderr and exits with `code`. */
export function failWith(prefix: string, message: string, code = 1): never {
  writeLine(process.stderr, `${prefix}: ${oneLine(message)}`);
  process.exit(code);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** parseArgs's messages, shortened to what a person needs. */
function parseErrorMessage(err: Error & { code?: string }): string {
  const message = oneLine(err.message);
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const option = /Unknown option '([^']+)'/.exec(message)?.[1];
      return option ? `unknown option ${option}` : message;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const argument = /Unexpected argument '([^']*)'/.exec(message)?.[1];
      return argument !== undefined ? `unexpected argument "${argument}"` : message;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const missing = /Option '(-[^' ]+)(?: <value>)?' argument missing/.exec(message);
      if (missing) return `${missing[1]} needs a value`;
      const ambiguous = /Option '(-[^' ]+)' argument is ambiguous/.exec(message);
      if (ambiguous) return `${ambiguous[1]} needs a value (a value starting with "-" is written ${ambiguous[1]}=-...)`;
      const flag = /Option '(-[^' ]+)' does not take an argument/.exec(message);
      if (flag) return `${flag[1]} takes no value`;
      return message;
    }
    default:
      return message;
  }
}

function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

function describeRange({ min, max }: Range): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

function inRange(n: number, { min, max }: Range): boolean {
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

/**
 * Parses the command line of `spec.command`: prints the usage and exits 0 on `-h`/`--help`
 * (wherever it appears before `--`), and exits 2 with one line on anything it does not take.
 */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>): CommandLine<O> {
  const args = spec.args ?? process.argv.slice(2);
  const fail = (message: string): never => failUsage(spec.command, message);
  if (wantsHelp(args)) {
    writeLine(process.stdout, spec.usage);
    process.exit(0);
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (err) {
    failUsage(spec.command, parseErrorMessage(err as Error & { code?: string }));
  }
  const allowed = spec.positionals ?? [];
  for (const positional of parsed.positionals) {
    if (!allowed.includes(positional)) {
      fail(allowed.length === 0 ? `unexpected argument "${positional}"` : `unknown argument "${positional}" (expected ${allowed.join(' or ')})`);
    }
  }

  const raw = (name: string): string | undefined => {
    const value = parsed.values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const wholeNumber = (name: string, text: string, range: Range): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || !inRange(n, range)) {
      fail(`--${name} must be a whole number${describeRange(range)}, not "${text}"`);
    }
    return n;
  };

  return {
    values: parsed.values as Values<O>,
    positionals: parsed.positionals,
    fail,
    integer(name, fallback, range = { min: 0 }) {
      const text = raw(name);
      return text === undefined ? fallback : wholeNumber(name, text, range);
    },
    number(name, fallback, range = { min: 0 }) {
      const text = raw(name);
      if (text === undefined) return fallback;
      const n = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n) || !inRange(n, range)) {
        fail(`--${name} must be a number${describeRange(range)}, not "${text}"`);
      }
      return n;
    },
    integers(name, range = { min: 0 }) {
      const text = raw(name);
      if (text === undefined) return undefined;
      const items = text.split(',');
      if (items.some((item) => item.trim() === '')) fail(`--${name} must be a comma-separated list of whole numbers, not "${text}"`);
      return items.map((item) => wholeNumber(name, item.trim(), range));
    },
  };
}

type ErrorLike = Error & { code?: unknown; syscall?: unknown };

/** An error's code and message, as one short string. */
export function errorReason(err: unknown): string {
  const message = oneLine(err instanceof Error ? err.message || err.name : String(err));
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

/**
 * The one line (naming PORT or HOST) for an error `listen` meets through no fault of the code:
 * the port taken or forbidden, a host that is not this machine's or does not resolve. Null for
 * anything else.
 */
export function listenErrorLine(err: unknown, host: string, port: number): string | null {
  if (!(err instanceof Error)) return null;
  const { code, syscall } = err as ErrorLike;
  switch (code) {
    case 'EADDRINUSE':
      return `PORT=${port}: the port is already in use on ${host} (EADDRINUSE); stop what listens there or choose another PORT`;
    case 'EACCES':
      return syscall === 'listen' ? `PORT=${port}: not allowed to listen on ${host}:${port} (EACCES); ports below 1024 need privileges, choose another PORT` : null;
    case 'EADDRNOTAVAIL':
      return `HOST=${host}: not an address of this machine (EADDRNOTAVAIL); use one of its addresses, 127.0.0.1 or 0.0.0.0`;
    case 'EAFNOSUPPORT':
      return `HOST=${host}: this machine has no network of that address family (EAFNOSUPPORT)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `HOST=${host}: not an IP address, and no such host name resolves (${code}); use an address of this machine, 127.0.0.1 or 0.0.0.0`;
    default:
      return null;
  }
}

/**
 * Ends the process with one line (`agora: ...`, exit 1) for a bad configuration or a store that
 * cannot be opened or reached (openStores words both as a ConfigError naming the store's
 * variable); returns for anything else, which the caller rethrows.
 */
export function exitOnStartupError(err: unknown): void {
  if (err instanceof ConfigError) failWith('agora', err.message);
}

/**
 * Ends a command that failed: a bad configuration or a store that cannot be used as `agora: …`,
 * anything else (a transfer refused, a damaged archive) as `<command>: <message>`; exit 1.
 */
export function failCommand(command: string, err: unknown): never {
  exitOnStartupError(err);
  failWith(command, errorReason(err));
}
