import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { externalSignInUrl, useSignInProviders } from '@/views/public/useSignInProviders'
import { fakeFetch } from './helpers'

describe('useSignInProviders', () => {
  it('sends the browser to the gateway, which takes it to the platform and back', () => {
    const url = new URL(externalSignInUrl('https://idp.example.gov.cn/realms/gd', '/enterprise/demands?status=open'), 'http://x')
    expect(url.pathname).toBe('/api/v1/sessions/external')
    expect(url.searchParams.get('issuer')).toBe('https://idp.example.gov.cn/realms/gd')
    expect(url.searchParams.get('return_to')).toBe('/enterprise/demands?status=open')
    expect(new URL(externalSignInUrl('https://idp', null), 'http://x').searchParams.get('return_to')).toBe('/')
  })

  it('lists the providers the API offers, and none when it cannot say', async () => {
    fakeFetch([200, { items: [{ issuer: 'https://idp', name: '统一身份认证平台' }] }])
    const offered = useSignInProviders(ref(null), ref(undefined))
    await settled()
    expect(offered.providers.value.map((p) => p.name)).toEqual(['统一身份认证平台'])
    expect(offered.hrefOf(offered.providers.value[0]!)).toContain('return_to=%2F')

    fakeFetch([503, { error: 'service_unavailable', title: '', message: '', details: {} }])
    const none = useSignInProviders(ref(null), ref(undefined))
    await settled()
    expect(none.providers.value).toEqual([])
  })

  it('words why the last attempt came back, and any code it does not know as a refusal', () => {
    fakeFetch([200, { items: [] }])
    const error = ref<unknown>('no_role')
    const { failure } = useSignInProviders(ref(null), error)
    expect(failure.value).toBe('no_role')
    error.value = 'something_new'
    expect(failure.value).toBe('refused')
    error.value = undefined
    expect(failure.value).toBeNull()
  })
})

/** Lets the list's request and its answer run. */
async function settled() {
  for (let i = 0; i < 5; i += 1) await nextTick()
  await new Promise((resolve) => setTimeout(resolve, 0))
}
