import { useState } from 'preact/hooks'
import { canManageRoom, RoomRoles, type Member, type Room, type RoomRole } from '../../../shared/chat.ts'
import type { AckResult } from '../../../shared/protocol.ts'
import { ChatIcon, CloseIcon, PencilIcon, StarIcon } from '../ui/icons.tsx'
import { navigate, paths } from '../ui/router.ts'
import { ChatDialog } from './chat-dialog.tsx'
import { chatUser, showNotice, type RoomState } from './chat-store.ts'
import { describeRequestError } from './describe-chat-error.ts'
import { EditRoomDialog } from './edit-room-dialog.tsx'
import { openDirect } from './room-requests.ts'
import { PersonButton } from '../people/person-button.tsx'
import { profiles, shownName, statusShown } from '../people/people-store.ts'
import { leaveRoom, removeMember, setMemberRole } from './room-management.ts'
import { UserAvatar } from './user-avatar.tsx'

const roleLabels: Record<RoomRole, string | null> = { owner: 'owner', admin: 'admin', member: null }

/** What `viewer` may do to `member` here (the server decides; this only offers what it would allow). */
const allowed = (viewer: RoomRole | undefined, member: Member, self: boolean) => ({
  promote: !self && viewer === RoomRoles.owner && member.role !== RoomRoles.owner,
  remove: !self && canManageRoom(viewer) && member.role !== RoomRoles.owner && (member.role !== RoomRoles.admin || viewer === RoomRoles.owner)
})

const report = (result: AckResult<unknown>) => { if (!result.ok) showNotice(describeRequestError(result.error)) }

/** The room info panel: topic, the members with their roles, and what the viewer's role allows. */
export const MemberPanel = ({ room, state, onClose }: { room: Room | null, state: RoomState, onClose: () => void }) => {
  const [dialog, setDialog] = useState<'edit' | 'leave' | null>(null)
  const members = state.members.value
  const me = chatUser.value
  const online = members?.filter((member) => member.online).length ?? 0
  const myRole = members?.find((member) => member.id === me?.id)?.role
  const manages = room !== null && room.visibility !== 'direct' && canManageRoom(myRole)

  const message = async (username: string) => {
    const result = await openDirect(username)
    if (result.ok) navigate(paths.room(result.data.id))
  }

  return (
    <aside class='member-panel' aria-label='Room info and members'>
      <header class='member-panel-head'>
        <h2 class='member-panel-title'>About this room</h2>
        <button type='button' class='chat-icon-button small' aria-label='Close members and room info' onClick={onClose}>
          <CloseIcon size={16} />
        </button>
      </header>
      {room
        ? (
          <section class='room-info'>
            <p class='room-info-name'>{room.name}</p>
            <p class='room-info-topic'>{room.topic || <span class='room-info-none'>No topic yet</span>}</p>
            {manages
              ? (
                <button type='button' class='button small ghost' onClick={() => setDialog('edit')}>
                  <PencilIcon size={14} /> Edit name and topic
                </button>
                )
              : null}
          </section>
          )
        : null}
      <h3 class='member-panel-subtitle'>
        Members
        {members ? <span class='member-panel-count'>{online} of {members.length} online</span> : null}
      </h3>
      {members === null
        ? <p class='member-panel-empty'>Loading…</p>
        : (
          <ul class='member-list'>
            {members.map((member) => {
              const self = member.id === me?.id
              const may = room?.visibility === 'direct' ? { promote: false, remove: false } : allowed(myRole, member, self)
              const role = member.role ? roleLabels[member.role] : null
              return (
                <li key={member.id} class='member' data-online={member.online ? '' : undefined}>
                  <PersonButton user={member} meId={me?.id} class='member-person'>
                    <UserAvatar user={member} size='s' online={member.online} />
                    <span class='member-name'>
                      <span class='person-name'>{shownName(member)}</span>
                      {self ? <span class='you-tag'>you</span> : null}
                      {role ? <span class='you-tag role-tag' data-role={member.role}>{role}</span> : null}
                      <span class='visually-hidden'>{member.online ? ', online' : ', away'}</span>
                      {statusShown(profiles.value.get(member.id), Date.now())
                        ? <span class='profile-status-inline'>{profiles.value.get(member.id)!.statusText}</span>
                        : null}
                    </span>
                  </PersonButton>
                  {may.promote && room
                    ? (
                      <button
                        type='button'
                        class='chat-icon-button small member-action'
                        aria-label={member.role === RoomRoles.admin ? `Make ${shownName(member)} a member` : `Make ${shownName(member)} an admin`}
                        title={member.role === RoomRoles.admin ? 'Make a member' : 'Make an admin'}
                        aria-pressed={member.role === RoomRoles.admin}
                        onClick={async () => report(await setMemberRole(room.id, member.id, member.role === RoomRoles.admin ? 'member' : 'admin'))}
                      >
                        <StarIcon size={16} />
                      </button>
                      )
                    : null}
                  {may.remove && room
                    ? (
                      <button
                        type='button'
                        class='chat-icon-button small member-action'
                        aria-label={`Remove ${shownName(member)} from the room`}
                        title='Remove from the room'
                        onClick={async () => report(await removeMember(room.id, member.id))}
                      >
                        <CloseIcon size={16} />
                      </button>
                      )
                    : null}
                  {!self && room?.visibility !== 'direct'
                    ? (
                      <button
                        type='button'
                        class='chat-icon-button small member-action'
                        aria-label={`Message ${shownName(member)}`}
                        title={`Message ${shownName(member)}`}
                        onClick={() => { message(member.username) }}
                      >
                        <ChatIcon size={16} />
                      </button>
                      )
                    : null}
                </li>
              )
            })}
          </ul>
          )}
      {room && room.visibility !== 'direct' && room.joined
        ? (
          <footer class='member-panel-foot'>
            <button type='button' class='button small danger-ghost' onClick={() => setDialog('leave')}>Leave room</button>
          </footer>
          )
        : null}
      {dialog === 'edit' && room ? <EditRoomDialog room={room} onClose={() => setDialog(null)} /> : null}
      {dialog === 'leave' && room
        ? (
          <ChatDialog
            title={`Leave ${room.name}?`}
            description={room.visibility === 'private'
              ? 'It’s private: you’ll need a new invitation to come back.'
              : 'You can join it again from the rooms list.'}
            size='s'
            onClose={() => setDialog(null)}
          >
            <div class='chat-form-actions'>
              <button type='button' class='button' onClick={() => setDialog(null)}>Cancel</button>
              <button
                type='button'
                class='button primary'
                data-autofocus
                onClick={async () => {
                  setDialog(null)
                  report(await leaveRoom(room.id))
                }}
              >
                Leave
              </button>
            </div>
          </ChatDialog>
          )
        : null}
    </aside>
  )
}
