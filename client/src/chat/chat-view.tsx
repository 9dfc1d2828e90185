import { useEffect } from 'preact/hooks'
import { connectionState } from '../realtime/connection.ts'
import { EmptyState } from '../ui/empty-state.tsx'
import { ChatIcon } from '../ui/icons.tsx'
import { route } from '../ui/router.ts'
import { chatNotice } from './chat-store.ts'
import { dismissNotice } from './message-changes.ts'
import { openRoom } from './follow-rooms.ts'
import { showThreadOf } from './threads.ts'
import { RoomSidebar } from './room-sidebar.tsx'
import { RoomView } from './room-view.tsx'
import './chat.css'

const NOTICE_MS = 6000

const ChatToast = () => {
  const notice = chatNotice.value
  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => dismissNotice(notice.id), NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice])
  return (
    <div class='chat-toast-region' role='status'>
      {notice ? <p class='chat-toast' key={notice.id}>{notice.text}</p> : null}
    </div>
  )
}

/**
 * The chat area: the rooms list beside the open room. On a narrow screen the list is the home
 * screen and a room takes the whole width, with a way back.
 */
export const ChatView = ({ roomId }: { roomId: string | null }) => {
  const current = route.value
  const focusSeq = current.name === 'chat' ? current.seq : undefined
  const threadId = current.name === 'chat' ? current.thread : undefined

  useEffect(() => { openRoom(roomId) }, [roomId])
  useEffect(() => () => openRoom(null), [])
  // A thread link (a thread notification) opens the thread beside its room.
  useEffect(() => { if (roomId !== null && threadId !== undefined) showThreadOf(roomId, threadId) }, [roomId, threadId])

  return (
    <div class='chat' data-view={roomId === null ? 'list' : 'room'} data-offline={connectionState.value === 'connected' ? undefined : ''}>
      <RoomSidebar activeId={roomId} />
      <div class='chat-main'>
        {roomId === null
          ? (
            <div class='chat-home'>
              <EmptyState icon={<ChatIcon size={28} />} title='Pick a room to start talking'>
                Choose a room from the list to read along and join in. New messages arrive live, and
                anything you missed while away is caught up for you.
              </EmptyState>
            </div>
            )
          : <RoomView key={roomId} roomId={roomId} focusSeq={focusSeq} />}
        <ChatToast />
      </div>
    </div>
  )
}
