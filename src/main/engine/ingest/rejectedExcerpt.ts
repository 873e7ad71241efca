// A rejected row is kept so the user can see and fix it, but a 50 MB field is no help on screen and
// would bloat the database: keep its first 64 KB and say that it was cut and how long it was.
export const EXCERPT_CHARS = 64 * 1024

export function rejectedExcerpt(raw: string): string {
  if (raw.length <= EXCERPT_CHARS) return raw
  let end = EXCERPT_CHARS
  // Never keep half of a surrogate pair: it would be stored as U+FFFD.
  const last = raw.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${raw.slice(0, end)}\n… [cut: the row is ${raw.length.toLocaleString('en')} characters; the first ${end.toLocaleString('en')} are kept]`
}
