// A ticket's title as text: a written subject as is, a title derived from the body set apart (class
// `derived`: regular weight, a softer colour) and explained on hover, so nobody takes it for a subject.
import type { TicketTitle } from '../../shared/ticketTitle.ts'

export function TicketTitleText({ title, className }: { title: TicketTitle; className?: string }) {
  const classes = [className, title.derived ? 'derived' : null].filter(Boolean).join(' ')
  return (
    <span className={classes || undefined} title={title.derived ? 'No subject: the first words of the body' : title.text}>
      {title.text}
    </span>
  )
}
