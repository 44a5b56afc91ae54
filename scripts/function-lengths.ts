// `node --import tsx scripts/function-lengths.ts [max=60]`: lists every function in src/ longer than `max`
// lines (declarative tables such as route lists are object literals, not functions, and are not counted).
// Exits 1 when there is one, so it can guard the "short functions" rule.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const max = Number(process.argv[2] ?? 60);
const root = path.resolve(import.meta.dirname, '..', 'src');

function* files(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (full.endsWith('.ts')) yield full;
  }
}

function nameOf(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (ts.isCallExpression(parent)) return `callback of ${parent.expression.getText().slice(0, 40)}`;
  return '(anonymous)';
}

const long: string[] = [];
for (const file of files(root)) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > max) long.push(`${end - start + 1}\t${path.relative(root, file)}:${start + 1}\t${nameOf(node)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
long.sort((a, b) => Number(b.split('\t')[0]) - Number(a.split('\t')[0]));
process.stdout.write(long.length ? `${long.join('\n')}\n` : `no function in src/ over ${max} lines\n`);
process.exit(long.length ? 1 : 0);
