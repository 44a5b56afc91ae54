/** An absolute http(s) URL with a host: what webhooks and HTTP slash commands may call. */
export function isHttpUrl(value: string): boolean {
  return parseHttpUrl(value) !== undefined;
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a URL may not be saved as an outgoing target, or undefined when it may. Credentials in the URL are
 * refused: they would be shown in logs and delivery lists; a receiver's secret belongs in a header or the path.
 */
export function outgoingUrlProblem(value: string): string | undefined {
  const url = parseHttpUrl(value);
  if (!url) return 'is not an absolute http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:password@)';
  return undefined;
}
