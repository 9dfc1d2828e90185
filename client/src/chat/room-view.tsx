import { useEffect, useState } from 'preact/hooks'
import type { Room } from '../../../shared/chat.ts'
import { connectionState } from '../realtime/connection.ts'
import { EmptyState } from '../ui/empty-state.tsx'
import { AlertIcon, ArrowLeftIcon, HashIcon, LockIcon, UserPlusIcon, UsersIcon } from '../ui/icons.tsx'
import { Link } from '../ui/link.tsx'
import { paths } from '../ui/router.ts'
import { chatUser, findRoom, roomState, type RoomState } from './chat-store.ts'
import { inviteToRoom } from './room-requests.ts'
import { retryRoom } from './follow-rooms.ts'
import { Composer } from './composer.tsx'
import { describeJoinError } from './describe-chat-error.ts'
import { MemberPanel } from './member-panel.tsx'
import { MessageList } from './message-list.tsx'
import { ThreadPanel } from './thread-panel.tsx'
import { openThread } from './threads.ts'
import { describeTypers } from './typing.ts'
import { UserAvatar } from './user-avatar.tsx'
import { UsernameDialog } from './username-dialog.tsx'
import { membersPanelOpen } from './view-state.ts'
import { RoomNotificationsMenu } from '../notifications/room-notifications-menu.tsx'
import { shownName, wantProfiles } from '../people/people-store.ts'
import { shownRoomName } from './room-names.ts'

/** Who is typing, by the names shown (display names); someone not on screen yet has their profile asked for. */
const TypingLine = ({ state }: { state: RoomState }) => {
  const typers = [...state.typers.value.values()].map((typer) => typer.user)
  const ids = typers.map((user) => user.id).join(' ')
  useEffect(() => { if (ids !== '') wantProfiles(ids.split(' ')) }, [ids])
  const text = describeTypers(typers.map((user) => shownName(user)))
  return (
    <div class='typing-line' aria-live='polite'>
      {text
        ? (
          <>
            <span class='typing-dots' aria-hidden='true'><span /><span /><span /></span>
            <span>{text}</span>
          </>
          )
        : null}
    </div>
  )
}

const RoomTitle = ({ room, state }: { room: Room | null, state: RoomState }) => {
  if (room?.visibility === 'direct') {
    const me = chatUser.value
    const partner = state.members.value?.find((member) => member.id !== me?.id) ?? null
    return (
      <div class='room-title-wrap'>
        <UserAvatar user={partner ?? { id: room.id, username: room.name }} size='s' online={partner?.online} />
        <div class='room-title-text'>
          <h1 class='room-title'>{shownRoomName(room)}</h1>
          <p class='room-topic'>{partner ? (partner.online ? 'Online' : 'Away') : 'Direct message'}</p>
        </div>
      </div>
    )
  }
  return (
    <div class='room-title-wrap'>
      <div class='room-title-text'>
        <h1 class='room-title'>
          <span class='room-title-icon' aria-hidden='true'>{room?.visibility === 'private' ? <LockIcon size={18} /> : <HashIcon size={18} />}</span>
          {room?.name ?? <span class='room-title-pending'>Opening room…</span>}
          {room?.visibility === 'private' ? <span class='visually-hidden'> (private)</span> : null}
        </h1>
        {room?.topic ? <p class='room-topic' title={room.topic}>{room.topic}</p> : null}
      </div>
    </div>
  )
}

/** One open room: header, conversation, who is typing, the composer, and optionally its members. */
export const RoomView = ({ roomId, focusSeq }: { roomId: string, focusSeq: number | undefined }) => {
  const [inviting, setInviting] = useState(false)
  const state = roomState(roomId)
  const room = findRoom(roomId)
  const join = state.join.value
  const members = state.members.value
  const live = connectionState.value === 'connected'
  const thread = openThread.value?.roomId === roomId ? openThread.value : null
  const me = chatUser.value
  const panelOpen = membersPanelOpen.value && room?.visibility !== 'direct' && thread === null

  if (join.status === 'failed' && state.timeline.value.messages.length === 0) {
    const { title, text } = describeJoinError(join.error)
    return (
      <div class='room-problem'>
        <EmptyState
          icon={<AlertIcon size={28} />}
          title={title}
          actions={
            <div class='room-problem-actions'>
              <Link class='button' href={paths.chat}>All rooms</Link>
              {join.error.code !== 'not_found' && join.error.code !== 'forbidden'
                ? <button type='button' class='button primary' onClick={() => retryRoom(roomId)}>Try again</button>
                : null}
            </div>
          }
        >
          {text}
        </EmptyState>
      </div>
    )
  }

  const online = members?.filter((member) => member.online).length ?? room?.onlineCount ?? 0

  return (
    <section class='room' data-panel={panelOpen || thread ? '' : undefined}>
      <header class='room-header'>
        <Link class='chat-icon-button room-back' href={paths.chat} aria-label='All rooms'>
          <ArrowLeftIcon size={20} />
        </Link>
        <RoomTitle room={room} state={state} />
        <div class='room-actions'>
          {room ? <RoomNotificationsMenu roomId={room.id} direct={room.visibility === 'direct'} /> : null}
          {room?.visibility === 'private'
            ? (
              <button type='button' class='button small ghost' onClick={() => setInviting(true)}>
                <UserPlusIcon size={16} />
                <span class='room-action-label'>Invite</span>
              </button>
              )
            : null}
          {room?.visibility !== 'direct'
            ? (
              <button
                type='button'
                class='button small ghost members-toggle'
                aria-pressed={panelOpen}
                aria-label={`Members, ${online} online`}
                title='Room info and members'
                onClick={() => { membersPanelOpen.value = !membersPanelOpen.value }}
              >
                <UsersIcon size={16} />
                <span class='members-toggle-count' aria-hidden='true'>
                  <span class='online-dot' />
                  {online}
                </span>
              </button>
              )
            : null}
        </div>
      </header>
      <div class='room-body'>
        <div class='room-conversation'>
          <MessageList key={roomId} room={room} state={state} live={live} focusSeq={focusSeq} />
          <TypingLine state={state} />
          <Composer key={roomId} room={room} state={state} live={live} />
        </div>
        {thread && me
          ? <ThreadPanel key={thread.rootId} view={thread} room={room} me={me} live={live} />
          : panelOpen ? <MemberPanel room={room} state={state} onClose={() => { membersPanelOpen.value = false }} /> : null}
      </div>
      {inviting && room
        ? (
          <UsernameDialog
            title={`Invite to ${room.name}`}
            description='They’ll see the room in their list and can read everything in it.'
            submitLabel='Invite'
            busyLabel='Inviting…'
            refuse={(username) => members?.some((member) => member.username.toLowerCase() === username.toLowerCase())
              ? `${username} is already a member.`
              : null}
            submit={async (username) => {
              const result = await inviteToRoom(room.id, username)
              if (!result.ok) return result.error
              setInviting(false)
              return null
            }}
            onClose={() => setInviting(false)}
          />
          )
        : null}
    </section>
  )
}
