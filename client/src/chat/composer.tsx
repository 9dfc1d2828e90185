import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks'
import type { Room } from '../../../shared/chat.ts'
import { ImageMimes } from '../../../shared/images.ts'
import { AlertIcon, ImageIcon, SendIcon } from '../ui/icons.tsx'
import { chatUser, type RoomState } from './chat-store.ts'
import { sendMessage } from './outbox-delivery.ts'
import { setTyping } from './room-typing.ts'
import { roomReference } from './room-names.ts'
import { measureMessage } from './room-rules.ts'
import { createTypingSender } from './typing.ts'
import { EmojiPicker } from './emoji/emoji-picker.tsx'
import { useShortcodeSource } from './emoji/use-shortcode-source.tsx'
import { applyEdit, formatKeyEdit } from './format/format-keys.ts'
import { replaceRange } from './format/text-edit.ts'
import { editingMessageId } from './view-state.ts'
import { useCompletion } from './completion/use-completion.tsx'
import { createMentionSource } from './mention/mention-source.tsx'
import { AttachmentPreview, useImageAttachment } from './images/use-image-attachment.tsx'

// Unsent text per room, kept while moving between rooms (not across reloads).
const drafts = new Map<string, string>()

const MAX_HEIGHT_PX = 200

const autoSize = (area: HTMLTextAreaElement | null) => {
  if (!area) return
  area.style.height = 'auto'
  area.style.height = `${Math.min(area.scrollHeight, MAX_HEIGHT_PX)}px`
  area.style.overflowY = area.scrollHeight > MAX_HEIGHT_PX ? 'auto' : 'hidden'
}

interface ComposerProps {
  room: Room | null
  state: RoomState
  live: boolean
}

/**
 * The message field: Enter sends, Shift+Enter starts a new line, ArrowUp in an empty field edits
 * one's last message. Sending never waits: the message shows as pending and the outbox delivers it.
 */
export const Composer = ({ room, state, live }: ComposerProps) => {
  const roomId = state.id
  const [text, setText] = useState(() => drafts.get(roomId) ?? '')
  const ref = useRef<HTMLTextAreaElement>(null)
  const id = useId()
  const measured = measureMessage(text)
  const typing = useMemo(() => createTypingSender((isTyping) => setTyping(roomId, isTyping), Date.now), [roomId])
  const emojiSource = useShortcodeSource()
  const mentionSource = useMemo(() => createMentionSource(state.members, chatUser), [state])
  const completion = useCompletion(ref, [emojiSource, mentionSource])
  const image = useImageAttachment(roomId)
  const fileInput = useRef<HTMLInputElement>(null)
  const [dragging, setDragging] = useState(false)
  const ready = image.attachment?.state === 'ready' ? image.attachment : null
  // With an image the text may be empty; over-long text is refused either way.
  const canSend = image.attachment?.state === 'uploading' || image.attachment?.state === 'failed'
    ? false
    : measured.canSend || (ready !== null && measured.text === '')

  useEffect(() => {
    autoSize(ref.current)
    // On a wide screen the field is where the hands are; on a phone the keyboard would cover the room.
    if (window.matchMedia('(min-width: 721px)').matches) ref.current?.focus({ preventScroll: true })
    return () => typing.stop()
  }, [typing])

  const update = (value: string) => {
    setText(value)
    if (value === '') drafts.delete(roomId)
    else drafts.set(roomId, value)
    typing.input(value.trim() !== '')
  }

  const send = () => {
    if (!canSend) return
    sendMessage(roomId, measured.text, ready?.imageId)
    if (ready) image.sent()
    typing.stop()
    update('')
    requestAnimationFrame(() => autoSize(ref.current))
  }

  const editLast = () => {
    const me = chatUser.peek()
    const mine = [...state.timeline.peek().messages].reverse().find((message) => message.author.id === me?.id && !message.deleted)
    if (!mine) return false
    editingMessageId.value = mine.id
    return true
  }

  // Formatting and emoji (format/, emoji/): edits go through the field as typing does.
  const insertEmoji = (emoji: string) => {
    const area = ref.current
    if (area) applyEdit(area, replaceRange(area.value, area.selectionStart, area.selectionEnd, emoji))
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (completion.onKeyDown(event)) return
    const edit = ref.current ? formatKeyEdit(event, ref.current) : null
    if (edit) {
      event.preventDefault()
      applyEdit(ref.current!, edit)
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      send()
    } else if (event.key === 'ArrowUp' && text === '' && !event.shiftKey && !event.altKey && !event.metaKey && !event.ctrlKey) {
      if (editLast()) event.preventDefault()
    }
  }

  const name = room ? roomReference(room) : 'this room'
  const over = measured.remaining < 0

  return (
    <form
      class='composer'
      data-dragging={dragging ? '' : undefined}
      onSubmit={(event) => { event.preventDefault(); send() }}
      onDragOver={(event) => {
        if (!event.dataTransfer?.types.includes('Files')) return
        event.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        setDragging(false)
        if (image.attachFirst(event.dataTransfer?.files)) event.preventDefault()
      }}
    >
      {image.attachment ? <AttachmentPreview attachment={image.attachment} onRemove={() => { image.clear(); ref.current?.focus() }} /> : null}
      <div class='composer-box' data-over={over ? '' : undefined}>
        <label class='visually-hidden' for={`${id}-text`}>Message {name}</label>
        <textarea
          id={`${id}-text`}
          ref={ref}
          class='composer-input'
          rows={1}
          value={text}
          placeholder={`Message ${name}`}
          aria-describedby={`${id}-hint`}
          aria-invalid={over ? true : undefined}
          onInput={(event) => { update(event.currentTarget.value); autoSize(event.currentTarget); completion.refresh() }}
          onKeyDown={onKeyDown}
          onKeyUp={(event) => { if (/^(Arrow(Left|Right)|Home|End)$/.test(event.key)) completion.refresh() }}
          onClick={() => completion.refresh()}
          onPaste={(event) => { if (image.attachFirst(event.clipboardData?.files)) event.preventDefault() }}
          onBlur={() => { typing.stop(); completion.close() }}
          {...completion.fieldProps}
        />
        {completion.list}
        <input
          ref={fileInput}
          type='file'
          class='visually-hidden'
          tabIndex={-1}
          aria-hidden='true'
          accept={ImageMimes.join(',')}
          onChange={(event) => {
            image.attachFirst(event.currentTarget.files)
            event.currentTarget.value = ''
          }}
        />
        <button type='button' class='chat-icon-button composer-attach' aria-label='Attach an image' title='Attach an image (or paste or drop one)' onClick={() => fileInput.current?.click()}>
          <ImageIcon size={18} />
        </button>
        <EmojiPicker onPick={insertEmoji} onClosed={() => ref.current?.focus()} />
        <button type='submit' class='composer-send' aria-label='Send' title='Send' disabled={!canSend}>
          <SendIcon size={18} />
        </button>
      </div>
      <div class='composer-footer' id={`${id}-hint`}>
        {live
          ? (
            <span class='composer-hint'>
              <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line ·{' '}
              <span title='Ctrl+B bold, Ctrl+I italic, Ctrl+E code; > quote, - list, ``` code block'>**bold** _italic_ `code` :emoji: @name</span>
            </span>
            )
          : (
            <span class='composer-offline'>
              <AlertIcon size={14} />
              You’re offline. What you write is sent as soon as the connection is back.
            </span>
            )}
        {measured.showCounter
          ? (
            <span class='composer-counter' data-over={over ? '' : undefined} aria-live='polite'>
              {over ? `${-measured.remaining} characters too long` : `${measured.remaining} characters left`}
            </span>
            )
          : null}
      </div>
    </form>
  )
}
