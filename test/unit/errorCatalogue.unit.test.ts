import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodes } from 'fastify';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { toAppError } from '../../src/adapters/http/errorHandler.js';
import { ERROR_CATALOGUE, type ErrorCode } from '../../src/errors/catalogue.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/**
 * Catalogue codes that nothing raises yet, each with the reason. Keep this list short and
 * explicit: the test below also fails when a code listed here starts being raised.
 */
const NOT_RAISED_YET: Partial<Record<ErrorCode, string>> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The string literals an expression can evaluate to: `'a'`, `cond ? 'a' : 'b'`, `('a')`. */
function literalsOf(node: ts.Node | undefined): string[] {
  if (!node) return [];
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...literalsOf(node.whenTrue), ...literalsOf(node.whenFalse)];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literalsOf(node.expression);
  return [];
}

const extendsAppError = (node: ts.ClassLikeDeclaration) =>
  node.heritageClauses?.some((clause) => clause.types.some((type) => type.expression.getText() === 'AppError')) ?? false;

/**
 * Codes raised in code, read from the syntax tree (comments and strings elsewhere do not count):
 * the first argument of `new AppError(…)`, and of `super(…)` inside a class that extends AppError.
 */
function codesRaisedInSource(): Map<string, string[]> {
  const raised = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const note = (code: string, node: ts.Node) => {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      raised.set(code, [...(raised.get(code) ?? []), `${relative(ROOT, file)}:${line}`]);
    };
    const visit = (node: ts.Node, inAppErrorClass: boolean): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'AppError') {
        for (const code of literalsOf(node.arguments?.[0])) note(code, node);
      }
      if (inAppErrorClass && ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        for (const code of literalsOf(node.arguments[0])) note(code, node);
      }
      const inside = ts.isClassLike(node) ? extendsAppError(node) : inAppErrorClass;
      ts.forEachChild(node, (child) => visit(child, inside));
    };
    visit(source, false);
  }
  return raised;
}

/**
 * Codes the HTTP error handler gives to errors that Fastify itself raises (body too large, wrong
 * media type, bad JSON, unknown faults…): every one of Fastify's error classes, through the handler.
 */
function codesFromFramework(): Map<string, string[]> {
  const produced = new Map<string, string[]>();
  for (const [name, FastifyErrorClass] of Object.entries(errorCodes)) {
    const code = toAppError(new (FastifyErrorClass as new () => Error)()).code;
    produced.set(code, [...(produced.get(code) ?? []), `fastify ${name}`]);
  }
  return produced;
}

/** `code → status` from the README's error table (the one whose header is `| code | status | … |`). */
function readmeErrorTable(): Map<string, number> {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const header = lines.findIndex((line) => /^\|\s*code\s*\|\s*status\s*\|/.test(line));
  expect(header, 'README.md has a table headed "| code | status | … |"').toBeGreaterThanOrEqual(0);
  const table = new Map<string, number>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [, code, status] = /^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/.exec(line) ?? [];
    expect(code && status, `README error table row is not "| \`code\` | status | … |": ${line}`).toBeTruthy();
    table.set(code!, Number(status));
  }
  return table;
}

describe('error catalogue', () => {
  const inSource = codesRaisedInSource();
  const fromFramework = codesFromFramework();
  const raisedBy = (code: string) => [...(inSource.get(code) ?? []), ...(fromFramework.get(code) ?? [])];

  const expectedRaised = CODES.filter((code) => !(code in NOT_RAISED_YET));
  it.each(expectedRaised)('%s is raised somewhere in src/', (code) => {
    expect(raisedBy(code), `nothing in src/ raises ${code}: raise it, remove it, or list it in NOT_RAISED_YET`).not.toEqual([]);
  });

  it.each(Object.keys(NOT_RAISED_YET))('%s is listed as not raised yet, and nothing raises it', (code) => {
    expect(code in ERROR_CATALOGUE, `${code} is not in the catalogue: drop it from NOT_RAISED_YET`).toBe(true);
    expect(raisedBy(code), `${code} is raised now: drop it from NOT_RAISED_YET`).toEqual([]);
  });

  it('raises no code that is not in the catalogue', () => {
    const unknown = [...inSource.keys(), ...fromFramework.keys()].filter((code) => !(code in ERROR_CATALOGUE));
    expect(unknown).toEqual([]);
  });

  it('documents every code with its status in the README error table, and nothing else', () => {
    const table = readmeErrorTable();
    const expected = new Map(CODES.map((code) => [code, ERROR_CATALOGUE[code].status]));
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(expected));
  });
});
