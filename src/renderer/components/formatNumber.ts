const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

export function formatCount(n: number): string {
  return integer.format(n)
}

export function formatPercent(n: number): string {
  return `${oneDecimal.format(Math.max(0, Math.min(100, n)))}%`
}
