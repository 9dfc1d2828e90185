import { batch } from '@preact/signals'
import type { chatCommands } from '../../../shared/chat.ts'
import type { CommandData } from '../../../shared/protocol.ts'
import { applyMessageUpdate } from './room-updates.ts'

type JoinData = CommandData<typeof chatCommands, 'chat:join'>

/**
 * The rev through which each room's held messages carry every change (edits, deletions,
 * reactions): the `changesSince` of its next catch-up, as `syncedThrough` is its `since`.
 */
const syncedRevs = new Map<string, number>()

/** What a catch-up join (`since`) adds to be given the changes to held messages too. */
export const changesSince = (roomId: string): { changesSince?: number } => {
  const rev = syncedRevs.get(roomId)
  return rev === undefined ? {} : { changesSince: rev }
}

/** A join's answer: the changes to held messages applied, and the rev they are now known through. */
export const applyJoinChanges = (roomId: string, data: JoinData) => {
  batch(() => {
    for (const message of data.changed ?? []) applyMessageUpdate(message)
  })
  // A latest page, or a room held empty until now, is as of the room's rev.
  const rev = data.changesThrough ?? data.room.lastRev
  if (rev !== undefined) syncedRevs.set(roomId, rev)
}

/** A catch-up gave part of the changes (over 500): the next join asks from where it stopped. */
export const moreChanges = (data: JoinData) =>
  data.changesThrough !== undefined && data.room.lastRev !== undefined && data.changesThrough < data.room.lastRev

/** Signed out: the next user's rooms start without known revs. */
export const forgetChangeRevs = () => syncedRevs.clear()
