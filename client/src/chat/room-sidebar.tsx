import { useState } from 'preact/hooks'
import type { Room } from '../../../shared/chat.ts'
import { isRoomMuted } from '../notifications/room-notifications.ts'
import { BellOffIcon, HashIcon, LockIcon, PlusIcon } from '../ui/icons.tsx'
import { Link } from '../ui/link.tsx'
import { navigate, paths } from '../ui/router.ts'
import { chatUser, rooms, roomsList, roomState } from './chat-store.ts'
import { openDirect, refreshRooms } from './room-requests.ts'
import { NewRoomDialog } from './new-room-dialog.tsx'
import { badgeText } from './unread.ts'
import { directPartner, shownRoomName } from './room-names.ts'
import { UserAvatar } from './user-avatar.tsx'
import { UsernameDialog } from './username-dialog.tsx'

const RoomLink = ({ room, active }: { room: Room, active: boolean }) => {
  if (!room.joined) return <BrowseLink room={room} active={active} />
  const unread = active ? 0 : roomState(room.id).unread.value.count
  const badge = badgeText(unread)
  const direct = room.visibility === 'direct'
  const partner = direct ? directPartner(room) : null
  // A muted room keeps its count, without the emphasis that asks for attention.
  const muted = isRoomMuted(room.id)
  const name = shownRoomName(room)
  return (
    <li>
      <Link
        href={paths.room(room.id)}
        class='room-link'
        aria-current={active ? 'page' : undefined}
        data-unread={badge && !muted ? '' : undefined}
        data-muted={muted ? '' : undefined}
        aria-label={badge ? `${name}, ${unread} unread${muted ? ', muted' : ''}` : muted ? `${name}, muted` : undefined}
      >
        <span class='room-link-icon'>
          {direct
            ? <UserAvatar user={partner ?? { id: room.id, username: room.name }} size='xs' online={partner?.online} />
            : room.visibility === 'private' ? <LockIcon size={16} /> : <HashIcon size={16} />}
        </span>
        <span class='room-link-name'>{name}</span>
        {muted ? <span class='room-link-muted' aria-hidden='true'><BellOffIcon size={14} /></span> : null}
        {badge
          ? (
            <span class='unread-badge' aria-hidden='true'>{badge}</span>
            )
          : null}
      </Link>
    </li>
  )
}

/** A public room the user has not joined: muted, with its size; opening it joins it. */
const BrowseLink = ({ room, active }: { room: Room, active: boolean }) => {
  const people = `${room.memberCount} ${room.memberCount === 1 ? 'member' : 'members'}`
  return (
    <li>
      <Link
        href={paths.room(room.id)}
        class='room-link'
        data-joined='false'
        aria-current={active ? 'page' : undefined}
        aria-label={room.name}
        aria-description={`Not joined, ${people}. Open it to join.`}
        title={room.topic || undefined}
      >
        <span class='room-link-icon'><HashIcon size={16} /></span>
        <span class='room-link-name'>{room.name}</span>
        {room.memberCount > 0 ? <span class='room-link-count' aria-hidden='true'>{room.memberCount}</span> : null}
        <span class='room-link-join' aria-hidden='true'>Join</span>
      </Link>
    </li>
  )
}

const SkeletonRows = () => (
  <ul class='room-skeleton' aria-hidden='true'>
    {[72, 56, 64].map((width) => <li key={width}><span style={{ width: `${width}%` }} /></li>)}
  </ul>
)

/** Rooms, then direct messages, each with its unread count; "New room" and "New message" dialogs. */
export const RoomSidebar = ({ activeId }: { activeId: string | null }) => {
  const [dialog, setDialog] = useState<'room' | 'direct' | null>(null)
  const list = rooms.value
  const state = roomsList.value
  const me = chatUser.value
  const groups = list.filter((room) => room.visibility !== 'direct' && room.joined)
  const browse = list.filter((room) => room.visibility !== 'direct' && !room.joined)
  const directs = list.filter((room) => room.visibility === 'direct')
  const loading = state.status === 'loading' && list.length === 0

  return (
    <aside class='chat-sidebar' aria-label='Rooms and direct messages'>
      <nav class='chat-sidebar-scroll' aria-label='Rooms'>
        <section class='room-section'>
          <div class='room-section-head'>
            <h2 class='room-section-title'>Rooms</h2>
            <button type='button' class='chat-icon-button small' aria-label='New room' title='New room' onClick={() => setDialog('room')}>
              <PlusIcon size={16} />
            </button>
          </div>
          {loading ? <SkeletonRows /> : null}
          {state.status === 'failed' && list.length === 0
            ? (
              <div class='sidebar-problem' role='alert'>
                <span>Couldn’t load your rooms.</span>
                <button type='button' class='chat-link-button' onClick={() => { refreshRooms() }}>Try again</button>
              </div>
              )
            : null}
          {groups.length > 0
            ? <ul class='room-list'>{groups.map((room) => <RoomLink key={room.id} room={room} active={room.id === activeId} />)}</ul>
            : null}
        </section>
        {browse.length > 0
          ? (
            <section class='room-section' aria-label='Public rooms to join'>
              <div class='room-section-head'>
                <h2 class='room-section-title'>Browse rooms</h2>
              </div>
              <ul class='room-list browse-list'>{browse.map((room) => <RoomLink key={room.id} room={room} active={room.id === activeId} />)}</ul>
            </section>
            )
          : null}
        <section class='room-section'>
          <div class='room-section-head'>
            <h2 class='room-section-title'>Direct messages</h2>
            <button type='button' class='chat-icon-button small' aria-label='New direct message' title='New direct message' onClick={() => setDialog('direct')}>
              <PlusIcon size={16} />
            </button>
          </div>
          {directs.length > 0
            ? <ul class='room-list'>{directs.map((room) => <RoomLink key={room.id} room={room} active={room.id === activeId} />)}</ul>
            : !loading
                ? (
                  <button type='button' class='sidebar-hint' onClick={() => setDialog('direct')}>
                    Start a private conversation with anyone by their username.
                  </button>
                  )
                : null}
        </section>
      </nav>
      {dialog === 'room' ? <NewRoomDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'direct'
        ? (
          <UsernameDialog
            title='New direct message'
            description='Only the two of you can read a direct conversation.'
            submitLabel='Open conversation'
            busyLabel='Opening…'
            refuse={(username) => me && username.toLowerCase() === me.username.toLowerCase() ? 'That’s you. Pick someone else to talk to.' : null}
            submit={async (username) => {
              const result = await openDirect(username)
              if (!result.ok) return result.error
              setDialog(null)
              navigate(paths.room(result.data.id))
              return null
            }}
            onClose={() => setDialog(null)}
          />
          )
        : null}
    </aside>
  )
}
