import { afterEach, describe, expect, it } from 'vitest'
import { decodeClaims, useSession } from '@/composables/useSession'
import { api, call } from '@/api/client'
import { fakeFetch, token, tokens } from './helpers'

afterEach(async () => {
  fakeFetch([204])
  await useSession().signOut()
})

describe('useSession', () => {
  it('reads the claims of a token, Chinese names included', () => {
    expect(decodeClaims(token({ sub: 'p', name: '陈静', exp: 1 })).name).toBe('陈静')
  })

  it('signs in asking for the refresh cookie, and acts in the roles the token carries', async () => {
    const { requests } = fakeFetch([201, tokens({ name: '陈静', act: { specialist: 'p-1', enterprise: '9144' } })])
    const session = useSession()
    await session.signIn({ sign_in_name: 'chen.jing', password: 'secret' })
    expect(await requests[0]!.json()).toEqual({ sign_in_name: 'chen.jing', password: 'secret', code: null, refresh_cookie: true })
    expect(session.signedIn.value).toBe(true)
    expect(session.roles.value).toEqual(['enterprise', 'specialist'])
    expect(session.role.value).toBe('enterprise')
    session.chooseRole('specialist')
    expect(session.role.value).toBe('specialist')
  })

  it('keeps no token in any storage', async () => {
    fakeFetch([201, tokens({ act: { operator: 'p-1' } })])
    await useSession().signIn({ sign_in_name: 'operator', password: 'secret', code: '123456' })
    const stored = [localStorage, sessionStorage].flatMap((storage) =>
      Object.keys(storage).map((key) => storage.getItem(key) ?? ''),
    )
    expect(stored.filter((value) => value.includes('.'))).toEqual([])
  })

  it('sends the access token with calls, and is signed out when a refresh is refused', async () => {
    const signedIn = tokens({ act: { operator: 'p-1' } })
    const { requests } = fakeFetch([201, signedIn], [200, {}], [401, { error: 'invalid_credentials', title: '', message: '', details: {} }])
    const session = useSession()
    await session.signIn({ sign_in_name: 'operator', password: 'secret' })
    await call(api.GET('/api/v1/me'))
    expect(requests[1]!.headers.get('Authorization')).toBe(`Bearer ${signedIn.access_token}`)
    expect(await session.refresh()).toBe(false)
    expect(session.signedIn.value).toBe(false)
    expect(session.endedByServer.value).toBe(true)
  })

  it('takes a pending step from the tokens', async () => {
    fakeFetch([201, tokens({ act: {} }, 'password_change')])
    const session = useSession()
    await session.signIn({ sign_in_name: 'li.hua', password: 'once' })
    expect(session.pending.value).toBe('password_change')
    expect(session.role.value).toBeNull()
  })

  it('acts in the roles the answer grants, for a token of another identity platform too', async () => {
    // Its token carries that platform's claims (no `act`): the answer says what it gives here.
    const external = {
      ...tokens({ name: '何丽' }),
      access_token: token({ sub: 'he.li', name: '何丽', roles: ['qi-enterprise'], exp: Date.now() / 1000 + 600 }),
      person: null,
      acts: { enterprise: '91440101MA59TEST0X' },
      issuer: 'https://idp.example.gov.cn',
    }
    fakeFetch([200, external])
    const session = useSession()
    expect(await session.refresh()).toBe(true)
    expect(session.roles.value).toEqual(['enterprise'])
    expect(session.acts.value.enterprise).toBe('91440101MA59TEST0X')
    expect(session.issuer.value).toBe('https://idp.example.gov.cn')
    expect(session.claims.value?.name).toBe('何丽')
  })
})
