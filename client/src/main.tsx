import { effect, untracked } from '@preact/signals'
import { render } from 'preact'
import { authState, currentUser, endSession, restoreSession } from './auth/auth-store.ts'
import { startChat } from './chat/start-chat.ts'
import { startAwaySummary } from './notifications/away-summary.ts'
import { startNotificationAlerts } from './notifications/notification-alerts.ts'
import { notificationsSocket } from './notifications/notifications-socket.ts'
import { connectRealtime, disconnectRealtime, onSessionRejected } from './realtime/connection.ts'
import { App } from './ui/app.tsx'
import { startRouter } from './ui/router.ts'
import './ui/app.css'

// The composition root: the only place that ties the session to the live connection.
startRouter()

// Created up front so it opens with the session (and the indicator reflects a real namespace).
startChat(currentUser)
notificationsSocket()
startNotificationAlerts()
startAwaySummary()

onSessionRejected(() => endSession('Your session has ended. Please sign in again.'))

effect(() => {
  const signedIn = authState.value.status === 'signed-in'
  untracked(() => (signedIn ? connectRealtime() : disconnectRealtime()))
})

restoreSession()

const root = document.getElementById('app')
if (root) render(<App />, root)
