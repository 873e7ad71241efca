// A small labelled export for training tests: three queues whose tickets use different words, dated over
// four weeks, with some cross-queue noise so the model cannot be certain. Trains in about a second.
const QUEUES: Record<string, string[]> = {
  Network: ['vpn tunnel drops', 'wifi signal weak', 'router offline again', 'switch port dead', 'dns lookup fails', 'proxy blocks site'],
  Billing: ['invoice amount wrong', 'refund not received', 'card charged twice', 'credit note missing', 'payment failed today', 'tax on invoice'],
  Access: ['password reset link', 'account locked out', 'new user access', 'permission to share', 'login two factor', 'badge not working']
}

/** CSV text with `rounds` × 18 tickets, ids starting after `firstId`. */
export function queueExportCsv(rounds: number, firstId = 0): string {
  const lines = ['id,subject,body,created,queue']
  let id = firstId
  for (let round = 0; round < rounds; round++) {
    for (const [queue, subjects] of Object.entries(QUEUES)) {
      for (const s of subjects) {
        id++
        const noise = id % 7 === 0 ? ' also the invoice and the vpn' : ''
        const day = String(1 + (id % 28)).padStart(2, '0')
        lines.push(`${id},${s} ${round},"customer says ${s}${noise} since ${round} days",2025-02-${day} 10:00:00,${queue}`)
      }
    }
  }
  return `${lines.join('\n')}\n`
}
