import { invalid } from '../errors.ts';
import type { Node, QueryAst } from './ast.ts';
import { isBareChar, QUERY_STRING_FIELD } from './parse.ts';

/** A value as the parser reads it back: bare when it can be, else quoted with the quote it lacks. */
export function printValue(value: string): string {
  if (value && [...value].every(isBareChar)) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw invalid(QUERY_STRING_FIELD, `the value ${JSON.stringify(value)} holds both quote characters, which the query language cannot express`);
}

function printNode(node: Node): string {
  switch (node.kind) {
    case 'term':
      return `${node.key}:${printValue(node.value)}`;
    case 'field':
      return `field:${node.slug}:${printValue(node.value)}`;
    case 'range':
      return `${node.key}:${printValue(`${node.from},${node.to}`)}`;
    case 'group':
      return `${node.op}(${node.items.map(printNode).join(' ')})`;
  }
}

/** The canonical text of a query; parseQueryString(printQuery(ast)) equals ast. */
export function printQuery(ast: QueryAst): string {
  return ast.items.map(printNode).join(' ');
}
