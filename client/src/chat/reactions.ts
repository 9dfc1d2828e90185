import type { Message, Reaction, ReactionsState } from '../../../shared/chat.ts'
import type { ErrorInfo } from '../../../shared/protocol.ts'
import type { MergeResult, Timeline } from './timeline.ts'

/** The picker's emoji: shipped with the app, a short list of the common ones. */
export const COMMON_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀', '🔥', '✅', '👎', '🚀'] as const

/**
 * A message's reactions as they now are (a `chat:reactions` push or a `chat:react` ack) on the
 * held message, when newer than what is held (by rev): a late or repeated copy changes nothing.
 */
export const applyReactions = (timeline: Timeline, state: ReactionsState): MergeResult & { timeline: Timeline } => {
  const index = timeline.messages.findIndex((message) => message.seq === state.seq && message.id === state.messageId)
  const held = timeline.messages[index]
  if (!held || (held.rev !== undefined && held.rev >= state.rev)) return { messages: timeline.messages, added: [], replaced: [], timeline }
  const messages = timeline.messages.with(index, { ...held, reactions: state.reactions, rev: state.rev })
  return { messages, added: [], replaced: [held], timeline: { ...timeline, messages } }
}

export const reactedByMe = (reaction: Reaction, userId: string) => reaction.users.some((user) => user.id === userId)

type NameOf = (user: Reaction['users'][number]) => string

/** Who reacted, in words: "alice, bob and you", for titles and screen readers. */
export const describeReactors = (reaction: Reaction, userId: string, nameOf: NameOf = (user) => user.username) => {
  const names = reaction.users.map((user) => user.id === userId ? 'you' : nameOf(user))
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** The label of one reaction's button: what it is, how many, who, and what pressing does. */
export const describeReaction = (reaction: Reaction, userId: string, nameOf?: NameOf) =>
  `${reaction.emoji} ${reaction.count}: ${describeReactors(reaction, userId, nameOf)}. ` +
  (reactedByMe(reaction, userId) ? 'Press to take yours back.' : 'Press to react too.')

/** A message's reactions, none for a message from a server without them. */
export const reactionsOf = (message: Message): readonly Reaction[] => message.reactions ?? []

/** A refused reaction, for a short notice. */
export const describeReactionError = (error: ErrorInfo): string => {
  switch (error.code) {
    // The server's words say which (deleted meanwhile, or as many different emoji as it takes), safe to show.
    case 'conflict': return error.message
    case 'forbidden': return 'Join the room to react.'
    case 'rate_limited': return 'Too many reactions at once. Wait a moment.'
    case 'unavailable': return 'Couldn’t react: no connection. Try again.'
    default: return 'Couldn’t react to the message. Try again.'
  }
}
