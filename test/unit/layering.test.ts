import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every module a file imports or re-exports, dynamic imports included, as TypeScript's own
 * scanner reads them (a pattern over the text took a comment's "from'" for an import).
 */
function imports(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

describe('the dependency rule', () => {
  const domain = join(ROOT, 'internal/domain');

  it('when a domain file imports, then only other domain files or node built-ins', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(domain)) {
      for (const spec of imports(file)) {
        const inside = spec.startsWith('.') && resolve(file, '..', spec).startsWith(domain);
        if (!inside && !spec.startsWith('node:')) offenders.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('when adapters import, then never the app or the HTTP shell', () => {
    const app = join(ROOT, 'internal/app');
    const offenders = sourceFiles(join(ROOT, 'adapters')).flatMap((file) =>
      imports(file)
        .filter((spec) => spec.startsWith('.') && resolve(file, '..', spec).startsWith(app))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('when tsyringe is used, then only inside internal/app', () => {
    const offenders = [...sourceFiles(join(ROOT, 'internal/domain')), ...sourceFiles(join(ROOT, 'adapters'))].filter((file) =>
      imports(file).some((spec) => spec === 'tsyringe' || spec === 'fastify' || spec.startsWith('@fastify/')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('when the checker reads an import, then it sees it (the check cannot pass vacuously)', () => {
    expect(imports(join(domain, 'posts/create-post.ts'))).toContain('../shared/clock.js');
  });

  it('when a comment or a string says "from", then the checker does not take it for an import; a dynamic import it does see', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agora-layering-'));
    try {
      const file = join(dir, 'sample.ts');
      writeFileSync(
        file,
        [
          "import { a } from './a.js';",
          'export function f(): string {',
          "  // Array.from's callback, copied from 'elsewhere'",
          "  return \"taken from 'nowhere'\";",
          '}',
          "export { b } from './b.js';",
          "const c = await import('./c.js');",
        ].join('\n'),
      );
      expect(imports(file)).toEqual(['./a.js', './b.js', './c.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
