import type { User } from '../../shared/auth.ts'

export interface UserRecord extends User {
  passwordHash: string
  createdAt: number
}

export interface SessionRecord {
  id: string
  user: User
  expiresAt: number
}

export interface UserStore {
  /** Throws a `conflict` AppError when the name is taken, case-insensitively. */
  create (input: { username: string, passwordHash: string, now: number }): Promise<UserRecord>
  findByUsername (username: string): Promise<UserRecord | null>
  findById (id: string): Promise<User | null>
  findManyByUsername (usernames: string[]): Promise<User[]>
}

export interface SessionStore {
  create (input: { tokenHash: string, userId: string, now: number, expiresAt: number }): Promise<SessionRecord>
  /** The unexpired session with this token hash, or null. */
  find (tokenHash: string, now: number): Promise<SessionRecord | null>
  /** Deletes the session; returns its id when there was one. */
  revoke (tokenHash: string): Promise<string | null>
  deleteExpired (now: number): Promise<number>
}

/** Everything the app persists, behind one interface per feature. */
export interface Storage {
  kind: 'sqlite' | 'postgres'
  users: UserStore
  sessions: SessionStore
  /** Resolves when the database answers a trivial query. */
  ping (): Promise<void>
  close (): Promise<void>
}
