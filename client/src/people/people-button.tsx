import { UsersIcon } from '../ui/icons.tsx'
import { peopleDialog } from './people-store.ts'
import './people.css'

/** The top bar's way to the people directory. */
export const PeopleButton = () => (
  <button
    type='button'
    class='top-bar-button'
    aria-label='People'
    aria-haspopup='dialog'
    title='People: find anyone and message them'
    onClick={() => { peopleDialog.value = 'directory' }}
  >
    <UsersIcon size={20} />
  </button>
)
