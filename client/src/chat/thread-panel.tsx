import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import type { Message, Room } from '../../../shared/chat.ts'
import { MESSAGE_MAX_LENGTH } from '../../../shared/chat.ts'
import { BellIcon, BellOffIcon, CloseIcon, SendIcon } from '../ui/icons.tsx'
import { outbox } from './chat-store.ts'
import { MessageItem, type ListEntry } from './message-item.tsx'
import { sendMessage } from './outbox-delivery.ts'
import { roomReference } from './room-names.ts'
import { measureMessage } from './room-rules.ts'
import { closeThread, describeReplies, loadOlderReplies, setFollowing, type ThreadView } from './threads.ts'
import { useRovingList } from './use-roving-list.ts'
import { editingReplyId } from './view-state.ts'

const entryOf = (message: Message): ListEntry => ({ kind: 'message', key: message.id, authorId: message.author.id, createdAt: message.createdAt, message })

/**
 * A root or reply as the room shows it (reactions, Edit and Delete on one's own, live; a reply in
 * the outbox with its state, Retry and Discard). The thread is one Tab stop, arrows inside it.
 */
const ThreadMessage = ({ entry, me, live, tabStop }: { entry: ListEntry, me: User, live: boolean, tabStop: string | null }) => (
  <MessageItem
    entry={entry}
    startsGroup
    me={me}
    live={live}
    highlighted={false}
    tabStop={entry.key === tabStop}
    place='thread'
  />
)

/**
 * Enter sends, Shift+Enter is a new line, Escape closes the panel. Sending never waits: the reply
 * goes through the outbox like a room message (pending in the panel, delivered once connected).
 */
const ReplyComposer = ({ view, room, lastOwnReply }: { view: ThreadView, room: Room | null, lastOwnReply: Message | undefined }) => {
  const [text, setText] = useState('')
  const [alsoInRoom, setAlsoInRoom] = useState(false)
  const ref = useRef<HTMLTextAreaElement>(null)
  const id = useId()
  const measured = measureMessage(text)

  useEffect(() => { ref.current?.focus({ preventScroll: true }) }, [])

  const submit = () => {
    if (!measured.canSend) return
    sendMessage(view.roomId, measured.text, undefined, { threadRootId: view.rootId, alsoInRoom })
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
        <button type='submit' class='composer-send' aria-label='Send reply' aria-disabled={!measured.canSend}>
          <SendIcon size={18} />
        </button>
      </div>
      <label class='thread-also'>
        <input type='checkbox' checked={alsoInRoom} onChange={(event) => setAlsoInRoom(event.currentTarget.checked)} />
        Also send to {room ? roomReference(room) : 'the room'}
      </label>
    </form>
  )
}

/** The open thread beside the room: its root, its replies, following, and a reply field. */
export const ThreadPanel = ({ view, room, me, live }: { view: ThreadView, room: Room | null, me: User, live: boolean }) => {
  const listRef = useRef<HTMLDivElement>(null)
  const count = view.root?.replyCount ?? view.replies.length
  // Our replies still in the outbox follow the ones the server has (until it has them too).
  const held = new Set(view.replies.filter((reply) => reply.author.id === me.id).map((reply) => reply.clientId))
  const pending = outbox.value.filter((item) => item.roomId === view.roomId && item.threadRootId === view.rootId && !held.has(item.clientId))
  const entries: ListEntry[] = [
    ...view.replies.map(entryOf),
    ...pending.map((item): ListEntry => ({ kind: 'pending', key: `pending:${item.clientId}`, authorId: me.id, createdAt: item.createdAt, item }))
  ]
  const newest = entries.at(-1)?.key
  const root = view.root ? entryOf(view.root) : null
  const roving = useRovingList([...(root ? [root.key] : []), ...entries.map((entry) => entry.key)])

  // An edit left open goes with the thread it was in.
  useEffect(() => () => { editingReplyId.value = null }, [])

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
      <div class='thread-scroller' ref={listRef} {...roving.listProps}>
        {root ? <div data-anchor={root.key}><ThreadMessage entry={root} me={me} live={live} tabStop={roving.tabStop} /></div> : null}
        <div class='thread-divider' role='separator'><span>{view.status === 'loading' ? 'Loading…' : describeReplies(count)}</span></div>
        {view.status === 'failed' && view.error
          ? <p class='thread-error' role='alert'>{view.error.message}</p>
          : null}
        {view.hasMore ? <button type='button' class='chat-link-button thread-older' onClick={() => { loadOlderReplies() }}>Show older replies</button> : null}
        <ol class='thread-replies' aria-label='Replies'>
          {entries.map((entry) => <li key={entry.key} data-anchor={entry.key}><ThreadMessage entry={entry} me={me} live={live} tabStop={roving.tabStop} /></li>)}
        </ol>
      </div>
      {view.status !== 'failed' ? <ReplyComposer view={view} room={room} lastOwnReply={view.replies.findLast((reply) => reply.author.id === me.id && !reply.deleted)} /> : null}
    </aside>
  )
}
