import type { ReadonlySignal } from '@preact/signals'
import type { User } from '../../../../shared/auth.ts'
import type { Member } from '../../../../shared/chat.ts'
import type { CompletionSource } from '../completion/use-completion.tsx'
import { findMentionQuery, mentionCandidates } from './mention-query.ts'

const MAX_SUGGESTIONS = 8

/** `@name` completion from the room's members; inserts `@username ` (the space ends the mention). */
export const createMentionSource = (members: ReadonlySignal<readonly Member[] | null>, me: ReadonlySignal<User | null>): CompletionSource => ({
  label: 'People',
  find: findMentionQuery,
  suggest: (query) => mentionCandidates(members.value ?? [], query, me.value?.id ?? null, MAX_SUGGESTIONS).map((member) => ({
    key: member.id,
    text: `@${member.username} `,
    content: [
      <span key='presence' class='completion-presence' data-online={member.online ? '' : undefined} aria-hidden='true' />,
      <span key='name' class='completion-code'>@{member.username}</span>,
      member.online ? null : <span key='away' class='visually-hidden'> (offline)</span>
    ]
  }))
})
