/** The Playbooks list envelope: `page_count = ceil(total / per_page)`, `has_more` while pages remain. */
export function presentPage<T>(items: T[], total: number, page: number, perPage: number) {
  const pageCount = Math.ceil(total / perPage);
  return { total_count: total, page_count: pageCount, has_more: page + 1 < pageCount, items };
}
