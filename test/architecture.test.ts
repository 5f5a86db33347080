import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import {
  parseSync,
  type CallExpression,
  type ExportAllDeclaration,
  type ExportNamedDeclaration,
  type ImportDeclaration,
  type TsExternalModuleReference,
  type TsImportType,
} from '@swc/core';

/**
 * The layers, checked on the import statements themselves (parsed, not grepped, so type-only imports,
 * `import('x')` types, re-exports and multi-line imports all count): core depends on nothing but its
 * own interfaces, and the public types do not reach into the HTTP layer or the channels.
 */
const SRC = join(__dirname, '..', 'src');

interface Rule {
  /** Files the rule is about, as paths under src/ with forward slashes. */
  applies(file: string): boolean;
  /** Folders under src/ the files must not import from. */
  folders: readonly string[];
  /** Packages the files must not import (subpaths included). */
  packages: readonly string[];
  why: string;
}

const RULES: readonly Rule[] = [
  {
    applies: (file) => file.startsWith('core/'),
    folders: ['http', 'stores', 'channels', 'views'],
    packages: ['express', 'ioredis', 'twilio', 'nodemailer'],
    why: 'core owns the interfaces it uses and knows no transport, store or channel',
  },
  {
    applies: (file) => file === 'types.ts',
    folders: ['http', 'channels'],
    packages: [],
    why: 'the public types are defined in types.ts or core, never borrowed from http/ or channels/',
  },
  {
    applies: (file) => file === 'types.ts',
    folders: [],
    packages: ['ioredis', 'twilio'],
    why: "the main entry's types name no optional peer (test/package compiles them without either)",
  },
];

/** The nodes that name a module; any other node is only walked through. */
type NamingNode =
  | ImportDeclaration
  | ExportAllDeclaration
  | ExportNamedDeclaration
  | TsImportType
  | TsExternalModuleReference
  | CallExpression;

/** Every module specifier a TypeScript source names: imports, re-exports, `import()` (types too) and `require()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const n = node as NamingNode;
    switch (n.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (n.source?.value) found.push(n.source.value);
        break;
      case 'TsImportType':
        found.push(n.argument.value);
        break;
      case 'TsExternalModuleReference':
        found.push(n.expression.value);
        break;
      case 'CallExpression': {
        const first = n.arguments?.[0]?.expression;
        const isImport = n.callee?.type === 'Import' || (n.callee?.type === 'Identifier' && n.callee.value === 'require');
        if (isImport && first?.type === 'StringLiteral') found.push(first.value);
        break;
      }
    }
    for (const value of Object.values(n)) if (typeof value === 'object') visit(value);
  };
  visit(parseSync(source, { syntax: 'typescript' }).body);
  return found;
}

/** What breaks a rule in these files (path under src/ → source), one line per import. */
function violations(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [file, source] of files) {
    for (const rule of RULES.filter((r) => r.applies(file))) {
      for (const specifier of specifiers(source)) {
        const bad = specifier.startsWith('.')
          ? rule.folders.find((folder) => posix.join(posix.dirname(file), specifier).startsWith(`${folder}/`))
          : rule.packages.find((name) => specifier === name || specifier.startsWith(`${name}/`));
        if (bad) found.push(`src/${file} imports '${specifier}' (${rule.why})`);
      }
    }
  }
  return found;
}

function sourcesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(SRC, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  }
  return files;
}

describe('the layers of src/', () => {
  it('hold: core imports no http/, stores/, channels/, views/, Express, Redis, Twilio or nodemailer; types.ts no http/ or channels/', () => {
    const files = sourcesUnder(SRC);
    expect(files.size).toBeGreaterThan(50);
    expect(files.has('types.ts')).toBe(true);
    expect([...files.keys()].filter((file) => file.startsWith('core/')).length).toBeGreaterThan(10);
    expect(violations(files)).toEqual([]);
  });

  it('are checked on every form of import, so the check above can fail', () => {
    const core = (source: string) => violations(new Map([['core/example.ts', source]]));
    expect(core("import type { Store } from '../stores/store';")).toHaveLength(1);
    expect(core("import {\n  a,\n  b,\n} from '../http/context';")).toHaveLength(1);
    expect(core("export * from '../channels/sms-channel';\nexport { x } from '../views/html';")).toHaveLength(2);
    expect(core("type T = import('../stores/redis-store').RedisStore;")).toHaveLength(1);
    expect(core("import type { Request } from 'express';\nimport Redis from 'ioredis';")).toHaveLength(2);
    expect(core("import type RequestClient from 'twilio/lib/base/RequestClient';\nconst m = require('nodemailer');")).toHaveLength(2);
    expect(core("const lazy = () => import('../channels/email-channel');")).toHaveLength(1);
    // Inside core, to core's own files and to the shared types and errors: fine.
    expect(
      core(
        "import type { Store } from './store';\nimport { ConfigurationError } from '../errors';\nimport type { UserSettings } from '../types';\n// import x from '../http/no'",
      ),
    ).toEqual([]);
    // Names that merely start like a forbidden package or folder are not it.
    expect(core("import x from 'express-session';\nimport y from './stores-of-mine';")).toEqual([]);
    expect(
      violations(
        new Map([['types.ts', "import type { Channel } from './channels/channel';\nimport type { Store } from './stores/store';"]]),
      ),
    ).toEqual([
      "src/types.ts imports './channels/channel' (the public types are defined in types.ts or core, never borrowed from http/ or channels/)",
    ]);
  });
});
