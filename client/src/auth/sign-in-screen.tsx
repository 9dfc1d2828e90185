import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { AlertIcon, EyeIcon, EyeOffIcon, InfoIcon } from '../ui/icons.tsx'
import { Logo } from '../ui/logo.tsx'
import { TextField } from '../ui/text-field.tsx'
import { submitCredentials } from './auth-store.ts'
import { credentialRules, describeRule, validateCredential, validateNewUsername, type CredentialField } from './credential-rules.ts'
import { describeAuthError, type AuthMode } from './describe-auth-error.ts'

type PerField<T> = Record<CredentialField, T>

const modes: { mode: AuthMode, tab: string, title: string, lead: string, submit: string, busy: string }[] = [
  { mode: 'sign-in', tab: 'Sign in', title: 'Welcome back', lead: 'Sign in to pick up where you left off.', submit: 'Sign in', busy: 'Signing in…' },
  { mode: 'register', tab: 'Create account', title: 'Create your account', lead: 'Pick a username; it is how others will see you.', submit: 'Create account', busy: 'Creating account…' }
]

const fields: CredentialField[] = ['username', 'password']

/** One form, two tabs: sign in or create an account. Checks run in the browser before sending. */
export const SignInScreen = ({ notice }: { notice: string | null }) => {
  const [mode, setMode] = useState<AuthMode>('sign-in')
  const [values, setValues] = useState<PerField<string>>({ username: '', password: '' })
  const [touched, setTouched] = useState<PerField<boolean>>({ username: false, password: false })
  const [submitted, setSubmitted] = useState(false)
  const [serverErrors, setServerErrors] = useState<Partial<PerField<string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [showPassword, setShowPassword] = useState(false)
  const inputs = { username: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) }
  const tabRefs = useRef<Partial<Record<AuthMode, HTMLButtonElement | null>>>({})
  const id = useId()
  const copy = modes.find((entry) => entry.mode === mode) ?? modes[0]!

  useEffect(() => {
    document.title = mode === 'register' ? 'Create account · Hubbub' : 'Sign in · Hubbub'
  }, [mode])

  useEffect(() => { inputs.username.current?.focus() }, [])

  const clientErrors: PerField<string | null> = {
    username: mode === 'register' ? validateNewUsername(values.username) : validateCredential('username', values.username),
    password: validateCredential('password', values.password)
  }
  const errorOf = (field: CredentialField) =>
    serverErrors[field] ?? (touched[field] || submitted ? clientErrors[field] : null)

  const update = (field: CredentialField, value: string) => {
    setValues({ ...values, [field]: value })
    if (serverErrors[field]) setServerErrors({ ...serverErrors, [field]: undefined })
  }

  // A field is checked when the user leaves it having typed something, and on submit.
  const blur = (field: CredentialField) => {
    if (values[field] !== '' && !touched[field]) setTouched({ ...touched, [field]: true })
  }

  const switchTo = (next: AuthMode, focusTab = false) => {
    if (busy) return
    setMode(next)
    setServerErrors({})
    setFormError(null)
    setSubmitted(false)
    if (focusTab) tabRefs.current[next]?.focus()
  }

  const onTabKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return
    event.preventDefault()
    const index = modes.findIndex((entry) => entry.mode === mode)
    const next = event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? modes.length - 1
        : (index + (event.key === 'ArrowRight' ? 1 : -1) + modes.length) % modes.length
    switchTo(modes[next]!.mode, true)
  }

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (busy) return
    setSubmitted(true)
    setFormError(null)
    const invalid = fields.find((field) => clientErrors[field] !== null)
    if (invalid) {
      setServerErrors({})
      inputs[invalid].current?.focus()
      return
    }
    setBusy(true)
    const failure = await submitCredentials(mode, values.username, values.password)
    // On success the app switches to the signed-in shell and this screen goes away.
    if (failure === null) return
    setBusy(false)
    const problem = describeAuthError(failure, mode, values.username)
    if (problem.field) {
      setServerErrors({ [problem.field]: problem.message })
      inputs[problem.field].current?.focus()
    } else {
      setFormError(problem.message)
      if (failure.error.code === 'unauthorized') inputs.password.current?.focus()
    }
  }

  const panelId = `${id}-panel`
  return (
    <div class='auth-screen'>
      <div class='auth-brand'>
        <Logo size={44} />
        <span class='auth-brand-name'>Hubbub</span>
        <p class='auth-tagline'>Chat rooms and a live market, in real time.</p>
      </div>

      <div class='auth-card'>
        <div class='tabs' role='tablist' aria-label='Account'>
          {modes.map((entry) => (
            <button
              key={entry.mode}
              ref={(element) => { tabRefs.current[entry.mode] = element }}
              type='button'
              role='tab'
              id={`${id}-tab-${entry.mode}`}
              class='tab'
              aria-selected={entry.mode === mode}
              aria-controls={panelId}
              tabIndex={entry.mode === mode ? 0 : -1}
              onClick={() => switchTo(entry.mode)}
              onKeyDown={onTabKeyDown}
            >
              {entry.tab}
            </button>
          ))}
        </div>

        <div role='tabpanel' id={panelId} aria-labelledby={`${id}-tab-${mode}`}>
          <h1 class='auth-title'>{copy.title}</h1>
          <p class='auth-lead'>{copy.lead}</p>

          {notice
            ? (
              <p class='banner banner-info'>
                <InfoIcon size={18} />
                <span>{notice}</span>
              </p>
              )
            : null}

          <form class='auth-form' noValidate onSubmit={onSubmit} aria-describedby={formError ? `${id}-form-error` : undefined}>
            <TextField
              label='Username'
              name='username'
              value={values.username}
              onInput={(value) => update('username', value)}
              onBlur={() => blur('username')}
              autoComplete='username'
              autoCapitalize='none'
              spellCheck={false}
              maxLength={credentialRules.username.maxLength}
              hint={mode === 'register' ? describeRule('username') : null}
              error={errorOf('username')}
              inputRef={inputs.username}
            />
            <TextField
              label='Password'
              name='password'
              type={showPassword ? 'text' : 'password'}
              value={values.password}
              onInput={(value) => update('password', value)}
              onBlur={() => blur('password')}
              autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
              maxLength={credentialRules.password.maxLength}
              hint={mode === 'register' ? describeRule('password') : null}
              error={errorOf('password')}
              inputRef={inputs.password}
              trailing={
                <button
                  type='button'
                  class='field-toggle'
                  aria-pressed={showPassword}
                  aria-label='Show password'
                  title={showPassword ? 'Hide password' : 'Show password'}
                  onClick={() => setShowPassword(!showPassword)}
                >
                  {showPassword ? <EyeOffIcon size={18} /> : <EyeIcon size={18} />}
                </button>
              }
            />

            {formError
              ? (
                <p class='banner banner-error' id={`${id}-form-error`} role='alert'>
                  <AlertIcon size={18} />
                  <span>{formError}</span>
                </p>
                )
              : null}

            <button type='submit' class='button primary button-block' aria-disabled={busy} aria-busy={busy}>
              {busy ? <span class='spinner' aria-hidden='true' /> : null}
              {busy ? copy.busy : copy.submit}
            </button>
          </form>
        </div>
      </div>
    </div>
  )
}
