import { canRetry, connectionProblem, connectionState, retryConnection, type ConnectionState } from '../realtime/connection.ts'

const labels: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline'
}

/** A dot and a word for the live connection; announced politely when it changes. */
export const ConnectionIndicator = () => {
  const state = connectionState.value
  const problem = connectionProblem.value
  return (
    <div class='connection' data-state={state}>
      <span class='connection-status' role='status' title={problem ?? undefined}>
        <span class='connection-dot' aria-hidden='true' />
        <span class='connection-label'>{labels[state]}</span>
        {problem ? <span class='visually-hidden'>{problem}</span> : null}
      </span>
      {canRetry.value
        ? <button type='button' class='connection-retry' onClick={retryConnection}>Retry</button>
        : null}
    </div>
  )
}
