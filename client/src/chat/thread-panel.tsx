import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import type { Message, Room } from '../../../shared/chat.ts'
import { MESSAGE_MAX_LENGTH } from '../../../shared/chat.ts'
import { BellIcon, BellOffIcon, CloseIcon, SendIcon } from '../ui/icons.tsx'
import { describeSendError } from './describe-chat-error.ts'
import { MessageItem } from './message-item.tsx'
import { roomReference } from './room-names.ts'
import { measureMessage } from './room-rules.ts'
import { closeThread, describeReplies, loadOlderReplies, sendReply, setFollowing, type ThreadView } from './threads.ts'
import { editingReplyId } from './view-state.ts'

/** A root or reply as the room shows it (reactions, Edit and Delete on one's own, live), each its own Tab stop. */
const ThreadMessage = ({ message, me, live }: { message: Message, me: User, live: boolean }) => (
  <MessageItem
    entry={{ kind: 'message', key: message.id, authorId: message.author.id, createdAt: message.createdAt, message }}
    startsGroup
    me={me}
    live={live}
    highlighted={false}
    tabStop
    place='thread'
  />
)

/** Enter sends, Shift+Enter is a new line, Escape closes the panel. */
const ReplyComposer = ({ room, live, lastOwnReply }: { room: Room | null, live: boolean, lastOwnReply: Message | undefined }) => {
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
    } else if (event.key === 'ArrowUp' && text === '' && lastOwnReply && !event.shiftKey && !event.altKey && !event.metaKey && !event.ctrlKey) {
      // As in the room: ArrowUp in an empty field edits one's last reply.
      event.preventDefault()
      editingReplyId.value = lastOwnReply.id
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
        {view.root ? <ThreadMessage message={view.root} me={me} live={live} /> : null}
        <div class='thread-divider' role='separator'><span>{view.status === 'loading' ? 'Loading…' : describeReplies(count)}</span></div>
        {view.status === 'failed' && view.error
          ? <p class='thread-error' role='alert'>{view.error.message}</p>
          : null}
        {view.hasMore ? <button type='button' class='chat-link-button thread-older' onClick={() => { loadOlderReplies() }}>Show older replies</button> : null}
        <ol class='thread-replies' aria-label='Replies'>
          {view.replies.map((reply) => <li key={reply.id}><ThreadMessage message={reply} me={me} live={live} /></li>)}
        </ol>
      </div>
      {view.status !== 'failed' ? <ReplyComposer room={room} live={live} lastOwnReply={view.replies.findLast((reply) => reply.author.id === me.id && !reply.deleted)} /> : null}
    </aside>
  )
}
