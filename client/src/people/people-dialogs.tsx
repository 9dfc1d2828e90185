import type { User } from '../../../shared/auth.ts'
import { PeopleDialog } from './people-dialog.tsx'
import { peopleDialog } from './people-store.ts'
import { ProfileSettingsDialog } from './profile-settings-dialog.tsx'

const close = () => { peopleDialog.value = null }

/** The people directory or the profile settings, whichever is open (from the top bar, the user menu or a card). */
export const PeopleDialogs = ({ user }: { user: User }) => {
  const open = peopleDialog.value
  if (open === null) return null
  return (
    // The chat's styles are scoped under .chat; this box lends them to the dialogs and draws nothing.
    <div class='chat people-layer'>
      {open === 'directory' ? <PeopleDialog meId={user.id} onClose={close} /> : <ProfileSettingsDialog me={user} onClose={close} />}
    </div>
  )
}
