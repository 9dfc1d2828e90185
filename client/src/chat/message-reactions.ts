import { batch } from '@preact/signals'
import type { Message, ReactionsState } from '../../../shared/chat.ts'
import { request } from '../realtime/request.ts'
import { roomState, showNotice } from './chat-store.ts'
import { chatSocket } from './chat-socket.ts'
import { applyReactions, describeReactionError } from './reactions.ts'
import { applyThreadReactions } from './threads.ts'

/** A message's reactions as they now are (a `chat:reactions` push, or the ack of our own), in the room and in the open thread. */
export const applyReactionsState = (reactions: ReactionsState) => {
  const state = roomState(reactions.roomId)
  batch(() => {
    state.timeline.value = applyReactions(state.timeline.peek(), reactions).timeline
    applyThreadReactions(reactions)
  })
}

/** Adds (`on`) or takes back this user's reaction to a message; shown once the server has it. */
export const reactToMessage = async (message: Message, emoji: string, on: boolean) => {
  const result = await request(chatSocket(), 'chat:react', { messageId: message.id, emoji, on })
  if (result.ok) applyReactionsState(result.data)
  else showNotice(describeReactionError(result.error))
}
