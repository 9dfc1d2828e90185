import { EmptyState } from '../ui/empty-state.tsx'
import { ChatIcon, HashIcon } from '../ui/icons.tsx'
import { SidebarSection } from '../ui/sidebar-section.tsx'
import { SplitLayout } from '../ui/split-layout.tsx'

/** The chat area: the rooms list beside the open room. Filled in by the chat feature. */
export const ChatView = ({ roomId }: { roomId: string | null }) => (
  <SplitLayout
    sidebarLabel='Rooms'
    sidebar={
      <SidebarSection title='Rooms' icon={<HashIcon size={16} />}>
        <p class='sidebar-empty'>Public rooms, your private rooms and direct messages will be listed here.</p>
      </SidebarSection>
    }
  >
    {roomId === null
      ? (
        <EmptyState icon={<ChatIcon size={28} />} title='Pick a room to start talking'>
          Choose a room from the list to read along and join in. New messages arrive live, and
          anything you missed while away is caught up for you.
        </EmptyState>
        )
      : (
        <EmptyState icon={<ChatIcon size={28} />} title={<><span class='room-hash' aria-hidden='true'>#</span>{roomId}</>}>
          This room’s conversation will appear here, with new messages the moment they are sent.
        </EmptyState>
        )}
  </SplitLayout>
)
