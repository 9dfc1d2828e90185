import { useEffect } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import type { Message } from '../../../shared/chat.ts'
import { shownName, wantProfiles } from '../people/people-store.ts'
import { SmileIcon } from '../ui/icons.tsx'
import { usePopup } from '../ui/use-popup.ts'
import { reactToMessage } from './message-reactions.ts'
import { COMMON_EMOJI, describeReaction, describeReactors, reactedByMe, reactionsOf } from './reactions.ts'

/** The small "add reaction" button and its compact picker of common emoji; Escape closes it. */
const ReactionPicker = ({ message, me, tabIndex, within }: { message: Message, me: User, tabIndex: number | undefined, within: string }) => {
  const { open, close, rootProps, buttonProps, popupProps } = usePopup({ items: 'button', orientation: 'horizontal', within })
  const pick = (emoji: string) => {
    const mine = reactionsOf(message).find((reaction) => reaction.emoji === emoji)
    reactToMessage(message, emoji, !(mine && reactedByMe(mine, me.id)))
    close()
  }

  return (
    <div class='reaction-picker' {...rootProps}>
      <button {...buttonProps} type='button' class='reaction-add' tabIndex={tabIndex} aria-label='Add reaction' title='Add reaction'>
        <SmileIcon size={14} />
        <span aria-hidden='true'>+</span>
      </button>
      {open
        ? (
          <div {...popupProps} class='reaction-picker-list' role='group' aria-label='Pick a reaction'>
            {COMMON_EMOJI.map((emoji) => (
              <button key={emoji} type='button' class='reaction-choice' aria-label={`React with ${emoji}`} onClick={() => pick(emoji)}>{emoji}</button>
            ))}
          </div>
          )
        : null}
    </div>
  )
}

/**
 * Under a message: each emoji with its count (ours highlighted and pressed), who reacted on hover
 * and in the label, a click toggling ours; then the add button. Its buttons are Tab stops only
 * while the message holds the list's one (`tabStop`; the list is one Tab stop, arrows inside it).
 */
export const ReactionBar = ({ message, me, tabStop, within = '.message-scroller' }: { message: Message, me: User, tabStop: boolean, within?: string }) => {
  const reactions = reactionsOf(message)
  const tabIndex = tabStop ? undefined : -1
  // Who reacted is named as people see them: their profiles are asked for (in batches).
  useEffect(() => { wantProfiles(reactions.flatMap((reaction) => reaction.users.map((user) => user.id))) }, [reactions])
  return (
    <div class='reaction-bar' data-empty={reactions.length === 0 ? '' : undefined} role='group' aria-label='Reactions'>
      {reactions.map((reaction) => {
        const mine = reactedByMe(reaction, me.id)
        return (
          <button
            key={reaction.emoji}
            type='button'
            class='reaction'
            tabIndex={tabIndex}
            data-mine={mine ? '' : undefined}
            aria-pressed={mine}
            aria-label={describeReaction(reaction, me.id, shownName)}
            title={describeReactors(reaction, me.id, shownName)}
            onClick={() => { reactToMessage(message, reaction.emoji, !mine) }}
          >
            <span class='reaction-emoji' aria-hidden='true'>{reaction.emoji}</span>
            <span class='reaction-count' aria-hidden='true'>{reaction.count}</span>
          </button>
        )
      })}
      <ReactionPicker message={message} me={me} tabIndex={tabIndex} within={within} />
    </div>
  )
}
