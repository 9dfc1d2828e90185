import { signal } from '@preact/signals'
import { MESSAGE_MAX_LENGTH } from '../../../shared/chat.ts'
import { outbox, rooms } from '../chat/chat-store.ts'
import { sendMessage } from '../chat/outbox-delivery.ts'
import { Link } from '../ui/link.tsx'
import { paths } from '../ui/router.ts'

interface Shared {
  symbol: string
  roomId: string
  roomName: string
  clientId: string
}

/** The last share from this page, followed through the outbox until the server has it. */
const lastShare = signal<Shared | null>(null)

/**
 * "Share to a room": posts `$SYMBOL` (and what the user adds) to a room they belong to, through
 * the chat's outbox like any message, and says when it is posted.
 */
export const ShareToRoom = ({ symbol }: { symbol: string }) => {
  const joined = rooms.value.filter((room) => room.joined)
  const shared = lastShare.value?.symbol === symbol ? lastShare.value : null
  const pending = shared ? outbox.value.find((item) => item.clientId === shared.clientId) ?? null : null

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const room = joined.find((candidate) => candidate.id === data.get('room'))
    if (!room) return
    const note = String(data.get('note') ?? '').trim()
    const clientId = sendMessage(room.id, note === '' ? `$${symbol}` : `$${symbol} ${note}`)
    lastShare.value = { symbol, roomId: room.id, roomName: room.name, clientId }
    form.reset()
  }

  if (joined.length === 0) return null
  return (
    <section class='share-room' aria-labelledby='share-room-title'>
      <h3 class='detail-section-title' id='share-room-title'>Share to a room</h3>
      <form class='share-room-form' onSubmit={onSubmit}>
        <select class='field-input share-room-select' name='room' aria-label='Room' required>
          {joined.map((room) => <option key={room.id} value={room.id}>#{room.name}</option>)}
        </select>
        <input class='field-input share-room-note' name='note' type='text' aria-label='Message (optional)' placeholder='Add a note (optional)' maxLength={MESSAGE_MAX_LENGTH - symbol.length - 2} />
        <button type='submit' class='button'>Share</button>
      </form>
      {shared && (
        <p class='share-room-status' role='status'>
          {pending === null
            ? <>Shared to <Link href={paths.room(shared.roomId)}>#{shared.roomName}</Link>.</>
            : pending.state === 'failed' ? `Not sent to #${shared.roomName}: ${pending.error?.message ?? 'failed'}. Retry it from the room.` : `Sharing to #${shared.roomName}…`}
        </p>
      )}
    </section>
  )
}
