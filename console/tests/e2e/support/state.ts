import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** What the global setup made, for the specs (which run in other processes). */
export interface Person {
  name: string
  password: string
  /** The authenticator's secret, for a person with a second factor. */
  secret?: string
  /** The last time step whose code was used (each code serves once). */
  used?: number
}

/** A person of the identity platform the console may sign in through (global-setup.ts). */
export interface ExternalPerson {
  login: string
  password: string
  name: string
  /** The enterprise the identity platform says they act for. */
  creditCode: string
}

export interface E2eState {
  /** The platform's origin (its API, and the console it serves). */
  apiUrl: string
  /** Where the browser opens the console: the platform, or ONESTOP_E2E_CONSOLE_URL (vite preview). */
  consoleUrl: string
  dataDir: string
  pid: number
  people: Record<string, Person>
  /** The identity platform people may sign in through (the shared platform's only). */
  identity?: { issuer: string; person: ExternalPerson }
}

const FILE = fileURLToPath(new URL('../../../test-results/e2e-state.json', import.meta.url))

export function readState(): E2eState {
  return JSON.parse(readFileSync(FILE, 'utf8')) as E2eState
}

export function writeState(state: E2eState): void {
  writeFileSync(FILE, JSON.stringify(state, null, 2))
}

/** Keeps what changed about a person (a new password, a used code) for later specs. */
export function rememberPerson(person: Person): void {
  const state = readState()
  state.people[person.name] = person
  writeState(state)
}
