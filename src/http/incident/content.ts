// Key update content formats (KeyUpdate.contentType). Muster keeps a status update's text as Markdown (what
// the run channel shows) and renders the other formats from it; Lexical editor JSON sent by a client is kept
// as sent and answered as sent when that format is asked for.
import { invalid } from '../../domain/errors.ts';

export const CONTENT_TYPES = ['text/plain', 'application/x-lexical-editor', 'text/markdown+slack', 'text/markdown+msteams'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
export const LEXICAL = 'application/x-lexical-editor';

interface LexicalNode {
  type?: unknown;
  text?: unknown;
  children?: unknown;
}

function lexicalText(node: LexicalNode): string {
  if (typeof node.text === 'string') return node.text;
  const children = Array.isArray(node.children) ? (node.children as LexicalNode[]) : [];
  const joiner = node.type === 'root' ? '\n' : '';
  return children.map(lexicalText).join(joiner);
}

/** The Markdown/plain message of a content sent in `contentType` ('' = plain text). */
export function messageOf(content: string, contentType: string): string {
  if (contentType !== LEXICAL) return content;
  let parsed: { root?: LexicalNode };
  try {
    parsed = JSON.parse(content) as { root?: LexicalNode };
  } catch {
    throw invalid('content', 'invalid field content: contentType application/x-lexical-editor needs Lexical editor state JSON ({"root":{...}})');
  }
  if (!parsed || typeof parsed !== 'object' || !parsed.root) throw invalid('content', 'invalid field content: Lexical editor state has no root');
  return lexicalText(parsed.root);
}

function toLexical(text: string): string {
  const paragraphs = text.split('\n').map((line) => ({
    children: line ? [{ detail: 0, format: 0, mode: 'normal', style: '', text: line, type: 'text', version: 1 }] : [],
    direction: 'ltr',
    format: '',
    indent: 0,
    type: 'paragraph',
    version: 1,
  }));
  return JSON.stringify({ root: { children: paragraphs, direction: 'ltr', format: '', indent: 0, type: 'root', version: 1 } });
}

/** Markdown → plain text: emphasis, code marks and heading marks dropped, links as `text (url)`. */
function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|\s)[*_]([^*_\s][^*_]*)[*_](?=\s|$|[.,;:!?])/g, '$1$2');
}

/** The content of a stored update in the format asked for ('' = as it was sent). */
export function render(update: { message: string; contentType: string; source: string }, wanted: string): { content: string; contentType: string } {
  const as = wanted || update.contentType;
  if (as === LEXICAL) return { content: update.contentType === LEXICAL && update.source ? update.source : toLexical(update.message), contentType: as };
  if (as === 'text/plain') return { content: update.contentType === 'text/plain' ? update.message : plain(update.message), contentType: as };
  return { content: update.message, contentType: as };
}
