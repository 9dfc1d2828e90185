import type { Room } from '../../../shared/chat.ts'
import { ChatIcon, CloseIcon } from '../ui/icons.tsx'
import { navigate, paths } from '../ui/router.ts'
import { chatUser, type RoomState } from './chat-store.ts'
import { openDirect } from './room-requests.ts'
import { PersonButton } from '../people/person-button.tsx'
import { profiles, shownName, statusShown } from '../people/people-store.ts'
import { UserAvatar } from './user-avatar.tsx'

/** Who is in the room, online first, with a shortcut to a direct message. */
export const MemberPanel = ({ room, state, onClose }: { room: Room | null, state: RoomState, onClose: () => void }) => {
  const members = state.members.value
  const me = chatUser.value
  const online = members?.filter((member) => member.online).length ?? 0

  const message = async (username: string) => {
    const result = await openDirect(username)
    if (result.ok) navigate(paths.room(result.data.id))
  }

  return (
    <aside class='member-panel' aria-label='Members'>
      <header class='member-panel-head'>
        <h2 class='member-panel-title'>
          Members
          {members ? <span class='member-panel-count'>{online} of {members.length} online</span> : null}
        </h2>
        <button type='button' class='chat-icon-button small' aria-label='Close members' onClick={onClose}>
          <CloseIcon size={16} />
        </button>
      </header>
      {members === null
        ? <p class='member-panel-empty'>Loading…</p>
        : (
          <ul class='member-list'>
            {members.map((member) => (
              <li key={member.id} class='member' data-online={member.online ? '' : undefined}>
                <PersonButton user={member} meId={me?.id} class='member-person'>
                  <UserAvatar user={member} size='s' online={member.online} />
                  <span class='member-name'>
                    <span class='person-name'>{shownName(member)}</span>
                    {member.id === me?.id ? <span class='you-tag'>you</span> : null}
                    <span class='visually-hidden'>{member.online ? ', online' : ', away'}</span>
                    {statusShown(profiles.value.get(member.id), Date.now())
                      ? <span class='profile-status-inline'>{profiles.value.get(member.id)!.statusText}</span>
                      : null}
                  </span>
                </PersonButton>
                {member.id !== me?.id && room?.visibility !== 'direct'
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
            ))}
          </ul>
          )}
    </aside>
  )
}
