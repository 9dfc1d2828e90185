import type { ReadonlySignal } from '@preact/signals'
import type { User } from '../../../../shared/auth.ts'
import type { Member } from '../../../../shared/chat.ts'
import { profiles, wantProfiles } from '../../people/people-store.ts'
import type { CompletionSource } from '../completion/use-completion.tsx'
import { findMentionQuery, mentionCandidates } from './mention-query.ts'

const MAX_SUGGESTIONS = 8

/**
 * `@name` completion from the room's members, found by username or display name: each shows its
 * display name with the @username beside it (the username alone when there is no display name);
 * inserts `@username ` (the space ends the mention).
 */
export const createMentionSource = (members: ReadonlySignal<readonly Member[] | null>, me: ReadonlySignal<User | null>): CompletionSource => ({
  label: 'People',
  find: findMentionQuery,
  // Members not on screen yet have no profile here: their display names are asked for as the query opens.
  prepare: () => wantProfiles((members.peek() ?? []).map((member) => member.id)),
  suggest: (query) => {
    const known = profiles.value
    const displayNameOf = (member: Member) => known.get(member.id)?.displayName ?? ''
    return mentionCandidates(members.value ?? [], query, me.value?.id ?? null, MAX_SUGGESTIONS, displayNameOf).map((member) => {
      const displayName = displayNameOf(member)
      return {
        key: member.id,
        text: `@${member.username} `,
        content: [
          <span key='presence' class='completion-presence' data-online={member.online ? '' : undefined} aria-hidden='true' />,
          displayName ? <span key='display' class='completion-name'>{displayName}</span> : null,
          <span key='name' class={displayName ? 'completion-code completion-secondary' : 'completion-code'}>@{member.username}</span>,
          member.online ? null : <span key='away' class='visually-hidden'> (offline)</span>
        ]
      }
    })
  }
})
