import { readFileSync } from 'node:fs'
import { nextCode } from './totp'
import { readState, rememberPerson, type Person } from './state'

/** The PR's seed data goes through the HTTP API, as a person would (no back doors). */
export interface Answer<T = any> {
  status: number
  body: T
}

export const OPERATOR_PASSWORD = 'Ops-Panyu-2026!'
/** A password the platform's rules accept, for the people the tests create. */
export const PASSWORD = 'Console-Test-2026!'

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** A fictitious, well-formed unified social credit code (GB 32100): 91 + Panyu + serial + check. */
export function creditCode(serial = Math.floor(Math.random() * 1e9)): string {
  const body = `91440113${String(serial).padStart(9, '0')}`
  const total = [...body].reduce((sum, char, i) => sum + ALPHABET.indexOf(char) * WEIGHTS[i]!, 0)
  return body + ALPHABET[(31 - (total % 31)) % 31]
}

export class Platform {
  /**
   * `keep` records what changed about a person (a used code, a new person) where the other
   * specs' processes find it: the e2e state file by default.
   */
  constructor(readonly apiUrl: string, private readonly keep: (person: Person) => void = rememberPerson) {}

  static fromState(): Platform {
    return new Platform(readState().apiUrl)
  }

  /** METHOD path as `token` (none: public), with a JSON body: the status and the JSON answer. */
  async call<T = any>(method: string, path: string, token?: string | null, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(this.apiUrl + path, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null }
  }

  /** Like call, failing unless the answer has `status`. */
  async ok<T = any>(status: number, method: string, path: string, token?: string | null, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, token, body)
    if (answer.status !== status) {
      throw new Error(`${method} ${path}: ${answer.status} (expected ${status}): ${JSON.stringify(answer.body)}`)
    }
    return answer.body
  }

  /** The next unused code of a person's authenticator (kept in the state across processes). */
  async code(person: Person): Promise<string> {
    if (!person.secret) throw new Error(`${person.name} has no authenticator`)
    const { code, step } = await nextCode(person.secret, person.used ?? -1)
    person.used = step
    this.keep(person)
    return code
  }

  /** An access token of the person (with a code where they have a second factor). */
  async signIn(person: Person): Promise<string> {
    const body: Record<string, unknown> = { sign_in_name: person.name, password: person.password }
    if (person.secret) body.code = await this.code(person)
    return (await this.ok(201, 'POST', '/api/v1/sessions', null, body)).access_token
  }

  /** Sets up a second factor for a person whose token is pending it; keeps its secret. */
  async enrolSecondFactor(person: Person, pendingToken: string): Promise<void> {
    const { secret } = await this.ok(201, 'POST', '/api/v1/me/second-factor', pendingToken)
    person.secret = secret
    person.used = -1
    await this.ok(200, 'POST', '/api/v1/me/second-factor/confirmation', pendingToken, { code: await this.code(person) })
  }

  /**
   * The first operator: the one-time password of the first start changed to OPERATOR_PASSWORD,
   * and the second factor set up. Returns the person (kept in the state by the caller).
   */
  async firstOperator(dataDir: string): Promise<Person> {
    const kept = readFileSync(`${dataDir}/first-operator-password`, 'utf8')
    const once = /one-time password: (\S+)/.exec(kept)![1]!
    const first = await this.ok(201, 'POST', '/api/v1/sessions', null, { sign_in_name: 'operator', password: once })
    await this.ok(200, 'POST', '/api/v1/me/password', first.access_token, {
      current_password: once, new_password: OPERATOR_PASSWORD,
    })
    const operator: Person = { name: 'operator', password: OPERATOR_PASSWORD }
    const pending = await this.ok(201, 'POST', '/api/v1/sessions', null, { sign_in_name: 'operator', password: OPERATOR_PASSWORD })
    await this.enrolSecondFactor(operator, pending.access_token)
    return operator
  }

  /** An organisation the operator registers (kind: enterprise, institution, station, agency): its id. */
  async organisation(operatorToken: string, kind: string, party: string, name: string): Promise<string> {
    const answer = await this.call('POST', '/api/v1/organisations', operatorToken, { kind, party, name })
    if (answer.status === 201) return answer.body.id
    if (answer.status === 409) {
      // already registered: the answer names it
      const [, id] = Object.entries(answer.body.details ?? {}).find(([key]) => key.endsWith('_id')) ?? []
      if (typeof id === 'string') return id
    }
    throw new Error(`POST /api/v1/organisations: ${answer.status} ${JSON.stringify(answer.body)}`)
  }

  /**
   * A person the operator creates in an organisation, who has changed the one-time password to
   * `password` (and set up a second factor if their role needs one). Kept (in the e2e state).
   */
  async person(operatorToken: string, organisationId: string, name: string, roles: string[],
    password = PASSWORD, display = name): Promise<Person> {
    const made = await this.ok(201, 'POST', '/api/v1/persons', operatorToken, {
      organisation_id: organisationId, sign_in_name: name, name: display, roles,
    })
    const first = await this.ok(201, 'POST', '/api/v1/sessions', null, { sign_in_name: name, password: made.one_time_password })
    await this.ok(200, 'POST', '/api/v1/me/password', first.access_token, {
      current_password: made.one_time_password, new_password: password,
    })
    const person: Person = { name, password }
    const again = await this.ok(201, 'POST', '/api/v1/sessions', null, { sign_in_name: name, password })
    if (again.pending === 'second_factor_setup') await this.enrolSecondFactor(person, again.access_token)
    this.keep(person)
    return person
  }

  /** Waits until `check` gives something (polling every 200 ms), at most `seconds`. */
  async until<T>(check: () => Promise<T | null | undefined | false>, seconds = 20, what = 'a condition'): Promise<T> {
    const end = Date.now() + seconds * 1000
    for (;;) {
      const value = await check()
      if (value) return value
      if (Date.now() > end) throw new Error(`waited ${seconds} s for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
