import { authState } from '../auth/auth-store.ts'
import { SignInScreen } from '../auth/sign-in-screen.tsx'
import { AppShell } from './app-shell.tsx'
import { SplashScreen } from './splash-screen.tsx'

/** Loading, the sign-in screen, or the app: nothing else decides what the page shows. */
export const App = () => {
  const state = authState.value
  switch (state.status) {
    case 'loading': return <SplashScreen />
    case 'signed-out': return <SignInScreen notice={state.notice} />
    case 'signed-in': return <AppShell user={state.user} />
  }
}
