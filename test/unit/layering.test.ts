import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
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
});
