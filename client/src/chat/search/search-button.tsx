import { useEffect } from 'preact/hooks'
import { SearchIcon } from '../../ui/icons.tsx'
import { SearchDialog } from './search-dialog.tsx'
import { openSearch, resetSearch, searchOpen } from './search-store.ts'
import './search.css'

/** Where `/` is a character being typed, not the shortcut. */
const isField = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'))

/**
 * The search button of the top bar, the shortcuts that open search from anywhere (Ctrl+K or
 * ⌘K; `/` when not typing in a field), and the dialog itself while it is open.
 */
export const SearchButton = () => {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || event.altKey) return
      const shortcut = (event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'k'
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !isField(event.target)
      if (!shortcut && !slash) return
      // Another dialog is open: leave it be.
      if (document.querySelector('dialog[open]:not(:has(.search))')) return
      event.preventDefault()
      openSearch()
      document.querySelector<HTMLInputElement>('.search-input')?.select()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => {
      document.removeEventListener('keydown', onKeyDown)
      // Signed out: the next user starts with an empty search.
      resetSearch()
    }
  }, [])

  return (
    <>
      <button
        type='button'
        class='top-bar-button'
        aria-label='Search messages'
        aria-keyshortcuts='Control+K /'
        aria-haspopup='dialog'
        title='Search messages (Ctrl+K)'
        onClick={openSearch}
      >
        <SearchIcon size={20} />
      </button>
      {searchOpen.value
        ? (
          // The chat's styles are scoped under .chat; this box lends them to the dialog and draws nothing.
          <div class='chat search-layer'>
            <SearchDialog />
          </div>
          )
        : null}
    </>
  )
}
