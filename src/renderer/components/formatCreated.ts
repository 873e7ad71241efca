/** A ticket's created date as the user's short local date; unparsable source text is shown as it is. */
export function formatCreated(created: string | null | undefined): string {
  if (!created) return ''
  const date = new Date(created)
  return Number.isNaN(date.getTime()) ? created : date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
}
