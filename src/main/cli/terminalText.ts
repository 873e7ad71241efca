// Ticket text is written by whoever sent the ticket. Printed raw, an escape sequence in a subject could
// clear the user's screen, recolour it, retitle the window or (on some terminals) write to the
// clipboard, so everything the CLI prints for humans goes through here first. JSON output needs no
// cleaning: JSON.stringify escapes every control character.

/**
 * Whole escape sequences, so no printable tail ("[2J") is left behind: CSI (ESC [ … final byte, or the
 * one-byte C1 form 0x9B), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC strings (ESC P|X|^|_ … ST), and the
 * two-byte ESC forms (ESC c, ESC 7, ESC ( B …).
 */
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]/g

/** C0 controls but tab and newline, DEL, and C1 controls: what is left once whole sequences are gone. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

/** The text with escape sequences and control characters removed; tab and newline stay. */
export function terminalText(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '')
}
