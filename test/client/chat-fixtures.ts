import type { Message } from '../../shared/chat.ts'

export const alice = { id: 'u-alice', username: 'alice' }
export const bob = { id: 'u-bob', username: 'bob' }

/** A message of room `r1` with seq `seq`; everything else can be overridden. */
export const msg = (seq: number, overrides: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  roomId: 'r1',
  seq,
  author: bob,
  text: `message ${seq}`,
  clientId: `client-${seq}-xxxx`,
  createdAt: 1_700_000_000_000 + seq * 1000,
  editedAt: null,
  deleted: false,
  ...overrides
})

export const range = (from: number, to: number, overrides: Partial<Message> = {}) =>
  Array.from({ length: to - from + 1 }, (_, i) => msg(from + i, overrides))

export const seqs = (messages: readonly Message[]) => messages.map((message) => message.seq)
