import type { Message } from '../../../shared/chat.ts'
import type { ErrorInfo } from '../../../shared/protocol.ts'
import { request } from '../realtime/request.ts'
import { chatNotice, showNotice } from './chat-store.ts'
import { chatSocket } from './chat-socket.ts'
import { describeChangeError } from './describe-chat-error.ts'
import { applyMessageUpdate } from './room-updates.ts'
import { applyThreadUpdate } from './threads.ts'

export const editMessage = async (message: Message, text: string): Promise<ErrorInfo | null> => {
  const result = await request(chatSocket(), 'chat:edit', { messageId: message.id, text })
  if (!result.ok) {
    showNotice(describeChangeError(result.error, 'edit'))
    return result.error
  }
  applyMessageUpdate(result.data.message)
  applyThreadUpdate(result.data.message)
  return null
}

export const deleteMessage = async (message: Message): Promise<ErrorInfo | null> => {
  const result = await request(chatSocket(), 'chat:delete', { messageId: message.id })
  if (!result.ok) {
    showNotice(describeChangeError(result.error, 'delete'))
    return result.error
  }
  applyMessageUpdate(result.data.message)
  applyThreadUpdate(result.data.message)
  return null
}

/** Drops the background notice (its toast timed out or was closed). */
export const dismissNotice = (id: number) => {
  if (chatNotice.peek()?.id === id) chatNotice.value = null
}
