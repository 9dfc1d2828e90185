import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import type { Message } from '../../../shared/chat.ts'
import { reactToMessage } from './chat-socket.ts'
import { COMMON_EMOJI, describeReaction, describeReactors, reactedByMe, reactionsOf } from './reactions.ts'

/** The small "add reaction" button and its compact picker of common emoji; Escape closes it. */
const ReactionPicker = ({ message, me }: { message: Message, me: User }) => {
  const [open, setOpen] = useState(false)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const listRef = useRef<HTMLDivElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const listId = useId()

  // Focus moves into the picker before the next key press; where the list's edge would cut it,
  // it opens the other way.
  useLayoutEffect(() => {
    if (!open) return
    const list = listRef.current
    const scroller = list?.closest('.message-scroller')
    if (list && scroller) {
      const [box, edge] = [list.getBoundingClientRect(), scroller.getBoundingClientRect()]
      if (box.bottom > edge.bottom - 4) list.dataset.placement = 'up'
      else if (box.top < edge.top + 4) list.dataset.placement = 'down'
    }
    list?.querySelector<HTMLElement>('button')?.focus()
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const close = () => {
    setOpen(false)
    buttonRef.current?.focus()
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault()
      const items = [...(listRef.current?.querySelectorAll<HTMLElement>('button') ?? [])]
      const index = items.indexOf(document.activeElement as HTMLElement)
      items[(index + (event.key === 'ArrowRight' ? 1 : -1) + items.length) % items.length]?.focus()
    }
  }
  const pick = (emoji: string) => {
    const mine = reactionsOf(message).find((reaction) => reaction.emoji === emoji)
    reactToMessage(message, emoji, !(mine && reactedByMe(mine, me.id)))
    close()
  }

  return (
    <div class='reaction-picker' ref={rootRef} onKeyDown={onKeyDown} data-open={open ? '' : undefined}>
      <button
        ref={buttonRef}
        type='button'
        class='reaction-add'
        aria-label='Add reaction'
        title='Add reaction'
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden='true'>☺+</span>
      </button>
      {open
        ? (
          <div class='reaction-picker-list' id={listId} role='group' aria-label='Pick a reaction' ref={listRef}>
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
 * and in the label, a click toggling ours; then the add button.
 */
export const ReactionBar = ({ message, me }: { message: Message, me: User }) => {
  const reactions = reactionsOf(message)
  return (
    <div class='reaction-bar' data-empty={reactions.length === 0 ? '' : undefined} role='group' aria-label='Reactions'>
      {reactions.map((reaction) => {
        const mine = reactedByMe(reaction, me.id)
        return (
          <button
            key={reaction.emoji}
            type='button'
            class='reaction'
            data-mine={mine ? '' : undefined}
            aria-pressed={mine}
            aria-label={describeReaction(reaction, me.id)}
            title={describeReactors(reaction, me.id)}
            onClick={() => { reactToMessage(message, reaction.emoji, !mine) }}
          >
            <span class='reaction-emoji' aria-hidden='true'>{reaction.emoji}</span>
            <span class='reaction-count' aria-hidden='true'>{reaction.count}</span>
          </button>
        )
      })}
      <ReactionPicker message={message} me={me} />
    </div>
  )
}
