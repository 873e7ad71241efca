// What a ticket is called wherever it is listed or opened. Exports such as it-service are body-only
// (no subject column): there the first words of the body stand in as the title, flagged as derived so
// the UI can show it differently from a subject someone actually wrote.

export interface TicketTitle {
  readonly text: string
  /** True when the text comes from the body, not from a subject. */
  readonly derived: boolean
}

/** Long enough to tell tickets apart in a list, short enough to stay one line in a panel heading. */
export const DERIVED_TITLE_CHARS = 80

const EMPTY_TITLE = '(empty ticket)'

/**
 * The subject when there is one, else the body's first words (whitespace folded, cut at a word boundary
 * within `maxChars`, an ellipsis when cut). `body` may be the whole body or the inbox's snippet.
 */
export function ticketTitle(subject: string | null | undefined, body: string | null | undefined, maxChars = DERIVED_TITLE_CHARS): TicketTitle {
  const written = fold(subject ?? '')
  if (written) return { text: written, derived: false }
  const words = fold(body ?? '')
  if (!words) return { text: EMPTY_TITLE, derived: true }
  return { text: firstWords(words, maxChars), derived: true }
}

/** What follows a derived title in the body, so a list row does not print the same words twice. */
export function bodyAfterTitle(title: TicketTitle, body: string): string {
  if (!title.derived) return body
  const words = fold(body)
  const shown = title.text.endsWith('…') ? title.text.slice(0, -1) : title.text
  return words.startsWith(shown) ? words.slice(shown.length).trimStart() : body
}

function fold(text: string): string {
  return text.replace(/\s+/gu, ' ').trim()
}

function firstWords(words: string, maxChars: number): string {
  if (words.length <= maxChars) return words
  const cut = words.slice(0, maxChars + 1)
  const lastSpace = cut.lastIndexOf(' ')
  // One very long token (a URL, a hash) has no boundary worth waiting for: cut it where it is.
  const end = lastSpace > maxChars / 2 ? lastSpace : maxChars
  return `${words.slice(0, end).replace(/[\s,;:.-]+$/u, '')}…`
}
