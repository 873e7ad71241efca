// The first check on anything that claims to be a request, before JSON.parse, zod or a structured clone
// reaches it: a page (or a compromised renderer) holding the token can send any bytes, and one message
// nested 200,000 deep overflows the stack of every recursive walker after the parser (zod, JSON.stringify
// in child-process IPC, structuredClone). A bad message gets BAD_REQUEST with its id where one can be
// read, never silence and never a crash.
import type { WireRejection, WireRequest, WireResponse } from './contract.ts'

/** Deeper than any request the contract describes (a mapping is 3 levels) by a wide margin. */
export const MAX_REQUEST_DEPTH = 32
/** Values (objects, arrays, strings, numbers) in one request: a page of filters is a few dozen. */
export const MAX_REQUEST_VALUES = 100_000

export type InboundMessage =
  | { readonly ok: true; readonly request: WireRequest }
  | { readonly ok: false; readonly id: number | null; readonly message: string }

/** A request as text (a WebSocket frame): depth is checked on the characters before anything is parsed. */
export function parseWireText(text: string): InboundMessage {
  const depth = maxJsonDepth(text, MAX_REQUEST_DEPTH)
  if (depth > MAX_REQUEST_DEPTH) return bad(leadingId(text), `A request may be nested at most ${MAX_REQUEST_DEPTH} levels deep.`)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return bad(leadingId(text), 'A request must be one JSON object: {"id": number, "method": string, "params": object}.')
  }
  return checkWireObject(data)
}

/** A request as a value (a MessagePort or IPC message, or parsed text). */
export function checkWireObject(data: unknown): InboundMessage {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return bad(null, 'A request must be a JSON object with a numeric id and a method name, not ' + describe(data) + '.')
  }
  const { id, method, params } = data as Record<string, unknown>
  const safeId = typeof id === 'number' && Number.isSafeInteger(id) ? id : null
  if (safeId === null) return bad(null, 'A request needs a numeric id (a safe integer).')
  if (typeof method !== 'string') return bad(safeId, 'A request needs a method name.')
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return bad(safeId, 'A request\'s params must be an object.')
  }
  const size = valueShape(params)
  if (size.depth > MAX_REQUEST_DEPTH) return bad(safeId, `A request may be nested at most ${MAX_REQUEST_DEPTH} levels deep.`)
  if (size.values > MAX_REQUEST_VALUES) return bad(safeId, `A request may hold at most ${MAX_REQUEST_VALUES} values.`)
  return { ok: true, request: { id: safeId, method, params: params ?? {} } }
}

function bad(id: number | null, message: string): InboundMessage {
  return { ok: false, id, message }
}

function describe(data: unknown): string {
  if (Array.isArray(data)) return 'an array'
  if (data === null) return 'null'
  return `a ${typeof data}`
}

/** The deepest bracket nesting in JSON text, outside strings; stops counting once past `limit`. */
export function maxJsonDepth(text: string, limit: number): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > limit) return deepest
      }
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return deepest
}

/** The id of a message too broken to parse, when it starts the way our clients write them. */
function leadingId(text: string): number | null {
  const match = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(text.slice(0, 64))
  return match ? Number(match[1]) : null
}

/** Depth and value count of a parsed value, walked without recursion (so a deep one cannot overflow here). */
function valueShape(root: unknown): { depth: number; values: number } {
  let values = 0
  let deepest = 0
  const stack: [unknown, number][] = [[root, 1]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    values++
    if (depth > deepest) deepest = depth
    if (deepest > MAX_REQUEST_DEPTH || values > MAX_REQUEST_VALUES) break
    if (typeof value === 'object' && value !== null) {
      for (const child of Array.isArray(value) ? value : Object.values(value)) {
        if (values + stack.length > MAX_REQUEST_VALUES) return { depth: deepest, values: values + stack.length }
        stack.push([child, depth + 1])
      }
    }
  }
  return { depth: deepest, values }
}

/** The BAD_REQUEST answer to a refused message: with its id when it had one, else JSON-RPC's null id. */
export function badRequestAnswer(refused: { readonly id: number | null; readonly message: string }): WireResponse | WireRejection {
  const error = { code: 'BAD_REQUEST' as const, message: refused.message }
  return refused.id === null ? { id: null, ok: false, error } : { id: refused.id, ok: false, error }
}
