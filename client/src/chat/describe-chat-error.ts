import type { ErrorInfo } from '../../../shared/protocol.ts'

/** Why a message was not sent, in a few words under it. */
export const describeSendError = (error: ErrorInfo): string => {
  switch (error.code) {
    case 'rate_limited': return 'You’re sending too fast. Wait a moment, then retry.'
    case 'unavailable': return 'No answer from the server.'
    // `@room` in a big room: the server names the rule.
    case 'forbidden': return error.message.startsWith('@room') ? error.message : 'You can’t post in this room.'
    case 'not_found': return 'This room no longer exists.'
    case 'invalid_payload': return 'This message can’t be sent as it is.'
    default: return 'Something went wrong.'
  }
}

/** A failed edit or delete, for a short notice. */
export const describeChangeError = (error: ErrorInfo, verb: 'edit' | 'delete'): string => {
  switch (error.code) {
    case 'conflict': return 'That message was deleted meanwhile.'
    case 'forbidden': return `You can only ${verb} your own messages.`
    case 'unavailable': return `Couldn’t ${verb} the message: no connection. Try again.`
    case 'rate_limited': return 'Too many changes at once. Wait a moment.'
    default: return `Couldn’t ${verb} the message. Try again.`
  }
}

/** A failed "Mark unread from here", for a short notice. */
export const describeMarkUnreadError = (error: ErrorInfo): string => {
  switch (error.code) {
    case 'forbidden': return 'Only members of the room keep a read marker in it.'
    case 'unavailable': return 'Couldn’t mark it unread: no connection. Try again.'
    case 'rate_limited': return 'Too many changes at once. Wait a moment.'
    default: return 'Couldn’t mark it unread. Try again.'
  }
}

/** A failed HTTP call of the chat (create a room, open a DM, invite), for the dialog. */
export const describeRequestError = (error: ErrorInfo, username?: string): string => {
  switch (error.code) {
    case 'not_found': return username ? `There’s nobody called “${username}”. Check the spelling.` : 'That room no longer exists.'
    case 'forbidden': return 'You’re not allowed to do that here.'
    case 'conflict': return error.message
    case 'invalid_payload': return error.message
    // The server says what was too fast ("creating rooms", "opening conversations").
    case 'rate_limited': return error.message || 'Too many requests. Wait a moment and try again.'
    case 'unavailable': return 'Hubbub can’t be reached right now. Check your connection and try again.'
    case 'unauthorized': return 'Your session has ended. Please sign in again.'
    default: return 'Something went wrong on our side. Please try again.'
  }
}

/** Why a room cannot be opened. */
export const describeJoinError = (error: ErrorInfo): { title: string, text: string } => {
  switch (error.code) {
    case 'not_found': return { title: 'No such room', text: 'This room doesn’t exist, or the link is mistyped.' }
    case 'forbidden': return { title: 'This room is private', text: 'Only its members can read it. Ask one of them to invite you.' }
    case 'unavailable': return { title: 'Can’t reach the room', text: 'Hubbub will keep trying as soon as the connection is back.' }
    default: return { title: 'Can’t open this room', text: 'Something went wrong on our side. Try again in a moment.' }
  }
}
