import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import rehypeSanitize from 'rehype-sanitize';

/** Markdown from users: rendered as React elements (no raw HTML), sanitised, links without `javascript:`. */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="md">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]}>
        {text}
      </ReactMarkdown>
    </div>
  );
}

const INLINE = ['strong', 'em', 'code', 'del', 'a'];

/** One line of markdown (timeline summaries): emphasis, code and links only, no blocks. */
export function InlineMarkdown({ text }: { text: string }) {
  return (
    <span className="md-inline">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]} allowedElements={INLINE} unwrapDisallowed>
        {text}
      </ReactMarkdown>
    </span>
  );
}
