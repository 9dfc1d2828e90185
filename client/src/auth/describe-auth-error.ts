import type { ErrorInfo } from '../../../shared/protocol.ts'
import type { CredentialField } from './credential-rules.ts'

export type AuthMode = 'sign-in' | 'register'

export interface AuthProblem {
  /** The field the problem belongs to; none means a message for the whole form. */
  field: CredentialField | null
  message: string
}

export interface AuthFailure {
  status: number
  error: ErrorInfo
  retryAfterSeconds: number | null
}

const waitText = (seconds: number | null) => {
  if (seconds === null) return 'Wait a moment and try again.'
  if (seconds < 90) return `Try again in ${Math.ceil(seconds)} seconds.`
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`
}

/** Turns a failed register/login answer into what the form shows, and where. */
export const describeAuthError = ({ error, retryAfterSeconds }: AuthFailure, mode: AuthMode, username: string): AuthProblem => {
  switch (error.code) {
    case 'conflict':
      return { field: 'username', message: `“${username}” is already taken. Try another name.` }
    case 'unauthorized':
      return mode === 'sign-in'
        ? { field: null, message: 'That username and password don’t match. Check them and try again.' }
        : { field: null, message: error.message }
    case 'rate_limited':
      return { field: null, message: `Too many attempts. ${waitText(retryAfterSeconds)}` }
    case 'invalid_payload': {
      // The server names the offending field in its message.
      const field = /password/i.test(error.message) ? 'password' : /username/i.test(error.message) ? 'username' : null
      return { field, message: error.message }
    }
    case 'unavailable':
      return { field: null, message: 'Hubbub can’t be reached right now. Check your connection and try again.' }
    default:
      return { field: null, message: 'Something went wrong on our side. Please try again.' }
  }
}
