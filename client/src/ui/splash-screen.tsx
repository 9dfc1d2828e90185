import { Logo } from './logo.tsx'

/** Shown for the moment it takes to ask the server who is signed in. */
export const SplashScreen = () => (
  <div class='splash' role='status' aria-live='polite'>
    <Logo size={44} />
    <span class='splash-text'>Loading Hubbub…</span>
  </div>
)
