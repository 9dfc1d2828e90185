import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import type { Message, Room } from '../../../shared/chat.ts'
import { MESSAGE_MAX_LENGTH } from '../../../shared/chat.ts'
import { BellIcon, BellOffIcon, CloseIcon, SendIcon } from '../ui/icons.tsx'
import { describeSendError } from './describe-chat-error.ts'
import { formatDateTime, formatTime } from './format-time.ts'
import { MessageText } from './message-text.tsx'
import { roomReference } from './room-names.ts'
import { measureMessage } from './room-rules.ts'
import { closeThread, loadOlderReplies, sendReply, setFollowing, type ThreadView } from './threads.ts'
import { UserAvatar } from './user-avatar.tsx'

/** "3 replies", "1 reply". */
export const describeReplies = (count: number) => `${count} ${count === 1 ? 'reply' : 'replies'}`

const ThreadMessage = ({ message, me }: { message: Message, me: User }) => (
  <article class='thread-message' data-deleted={message.deleted ? '' : undefined}>
    <UserAvatar user={message.author} size='s' />
    <div class='thread-message-body'>
      <header class='message-meta'>
        <span class='message-author'>{message.author.username}</span>
        {message.author.id === me.id ? <span class='you-tag'>you</span> : null}
        <time class='message-time' dateTime={new Date(message.createdAt).toISOString()} title={formatDateTime(message.createdAt)}>{formatTime(message.createdAt)}</time>
      </header>
      {message.deleted
        ? <p class='message-text message-deleted'>message deleted</p>
        : (
          <div class='message-text'>
            <MessageText text={message.text} myName={me.username} />
            {message.editedAt ? <span class='message-edited'>(edited)</span> : null}
            {message.alsoInRoom ? <span class='thread-also-sent'>also sent to the room</span> : null}
          </div>
          )}
    </div>
  </article>
)

/** Enter sends, Shift+Enter is a new line, Escape closes the panel. */
const ReplyComposer = ({ room, live }: { room: Room | null, live: boolean }) => {
  const [text, setText] = useState('')
  const [alsoInRoom, setAlsoInRoom] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const ref = useRef<HTMLTextAreaElement>(null)
  const id = useId()
  const measured = measureMessage(text)

  useEffect(() => { ref.current?.focus({ preventScroll: true }) }, [])

  const submit = async () => {
    if (busy || !measured.canSend || !live) return
    setBusy(true)
    const refused = await sendReply(measured.text, alsoInRoom)
    setBusy(false)
    if (refused) {
      setError(describeSendError(refused))
      return
    }
    setError(null)
    setText('')
    ref.current?.focus()
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      submit()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      closeThread()
    }
  }

  return (
    <form class='thread-composer' onSubmit={(event) => { event.preventDefault(); submit() }}>
      <label class='visually-hidden' for={`${id}-reply`}>Reply in thread</label>
      <div class='composer-box'>
        <textarea
          id={`${id}-reply`}
          ref={ref}
          class='composer-input'
          rows={2}
          value={text}
          placeholder='Reply…'
          maxLength={MESSAGE_MAX_LENGTH * 2}
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button type='submit' class='composer-send' aria-label='Send reply' aria-disabled={busy || !measured.canSend || !live}>
          <SendIcon size={18} />
        </button>
      </div>
      <label class='thread-also'>
        <input type='checkbox' checked={alsoInRoom} onChange={(event) => setAlsoInRoom(event.currentTarget.checked)} />
        Also send to {room ? roomReference(room) : 'the room'}
      </label>
      {error ? <p class='thread-error' role='alert'>{error}</p> : null}
    </form>
  )
}

/** The open thread beside the room: its root, its replies, following, and a reply field. */
export const ThreadPanel = ({ view, room, me, live }: { view: ThreadView, room: Room | null, me: User, live: boolean }) => {
  const listRef = useRef<HTMLDivElement>(null)
  const count = view.root?.replyCount ?? view.replies.length
  const newest = view.replies.at(-1)?.id

  // Newest reply in view, as a conversation.
  useEffect(() => {
    const list = listRef.current
    if (list) list.scrollTop = list.scrollHeight
  }, [newest, view.status])

  return (
    <aside class='member-panel thread-panel' aria-label='Thread'>
      <header class='member-panel-head'>
        <h2 class='member-panel-title'>
          Thread
          {view.root ? <span class='member-panel-count'>{describeReplies(count)}</span> : null}
        </h2>
        <div class='thread-head-actions'>
          {view.status === 'ready'
            ? (
              <button
                type='button' class='button small ghost' aria-pressed={view.following} onClick={() => { setFollowing(!view.following) }}
                title={view.following ? 'You are notified of new replies' : 'Get notified of new replies'}
              >
                {view.following ? <BellIcon size={16} /> : <BellOffIcon size={16} />}
                {view.following ? 'Following' : 'Follow'}
              </button>
              )
            : null}
          <button type='button' class='chat-icon-button small' aria-label='Close thread' onClick={closeThread}>
            <CloseIcon size={16} />
          </button>
        </div>
      </header>
      <div class='thread-scroller' ref={listRef}>
        {view.root ? <ThreadMessage message={view.root} me={me} /> : null}
        <div class='thread-divider' role='separator'><span>{view.status === 'loading' ? 'Loading…' : describeReplies(count)}</span></div>
        {view.status === 'failed' && view.error
          ? <p class='thread-error' role='alert'>{view.error.message}</p>
          : null}
        {view.hasMore ? <button type='button' class='chat-link-button thread-older' onClick={() => { loadOlderReplies() }}>Show older replies</button> : null}
        <ol class='thread-replies' aria-label='Replies'>
          {view.replies.map((reply) => <li key={reply.id}><ThreadMessage message={reply} me={me} /></li>)}
        </ol>
      </div>
      {view.status !== 'failed' ? <ReplyComposer room={room} live={live} /> : null}
    </aside>
  )
}
