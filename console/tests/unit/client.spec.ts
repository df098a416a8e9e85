import { afterEach, describe, expect, it } from 'vitest'
import { api, call, useCredentials } from '@/api/client'
import { ApiError } from '@/api/errors'
import { setLocale } from '@/i18n'
import { fakeFetch } from './helpers'

afterEach(() => {
  setLocale('zh-CN')
  useCredentials({ bearer: async () => null, rejected: () => {} })
})

describe('call', () => {
  it('sends the bearer token and the console language', async () => {
    const { requests } = fakeFetch([200, { items: [], next_after: null, per_page: 1, unread: 3 }])
    useCredentials({ bearer: async () => 'the-token', rejected: () => {} })
    setLocale('en')
    const page = await call(api.GET('/api/v1/notifications', { params: { query: { unread: true, per_page: 1 } } }))
    expect(page.unread).toBe(3)
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer the-token')
    expect(requests[0]!.headers.get('Accept-Language')).toBe('en')
    expect(new URL(requests[0]!.url).search).toBe('?unread=true&per_page=1')
  })

  it('sends no bearer token to the session routes', async () => {
    const { requests } = fakeFetch([401, { error: 'invalid_credentials', title: '身份验证失败', message: '会话已失效', details: {} }])
    useCredentials({ bearer: async () => 'the-token', rejected: () => {} })
    await expect(call(api.POST('/api/v1/sessions/refresh', { body: {} }))).rejects.toBeInstanceOf(ApiError)
    expect(requests[0]!.headers.has('Authorization')).toBe(false)
  })

  it('turns an error answer into an ApiError with its title, message and field messages', async () => {
    fakeFetch([422, {
      error: 'validation_failed', title: '填写的内容有误', message: 'invalid',
      details: { mobile: ['手机号码格式不正确'], enterprise: { name: ['不能为空'] } },
    }])
    const error = await call(api.POST('/api/v1/enterprise-registrations', {
      body: { credit_code: 'x', organisation_name: 'x', sign_in_name: 'xyz', name: 'x', mobile: '1', password: 'x' },
    })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    const apiError = error as ApiError
    expect(apiError.status).toBe(422)
    expect(apiError.error).toBe('validation_failed')
    expect(apiError.title).toBe('填写的内容有误')
    expect(apiError.fieldError('mobile')).toBe('手机号码格式不正确')
    expect(apiError.fieldError('enterprise.name')).toBe('不能为空')
    expect(apiError.fieldError('password')).toBeUndefined()
  })

  it('tells the session when the API refuses its token', async () => {
    fakeFetch([401, { error: 'unauthenticated', title: '请先登录', message: 'expired', details: {} }])
    let rejected = 0
    useCredentials({ bearer: async () => 'stale', rejected: () => rejected++ })
    await expect(call(api.GET('/api/v1/me'))).rejects.toMatchObject({ status: 401 })
    expect(rejected).toBe(1)
  })

  it('keeps the session when a 401 refuses the credentials the request carried, not its token', async () => {
    fakeFetch([401, {
      error: 'invalid_credentials', title: '账号或密码不正确', message: '登录名或密码错误',
      details: { reason: 'wrong_credentials', current_password: ['当前密码不正确'] },
    }])
    let rejected = 0
    useCredentials({ bearer: async () => 'the-token', rejected: () => rejected++ })
    const error = await call(api.POST('/api/v1/me/password', {
      body: { current_password: 'not-it', new_password: 'Panyu-Ops-2026!' },
    })).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ status: 401, error: 'invalid_credentials' })
    expect((error as ApiError).fieldError('current_password')).toBe('当前密码不正确')
    expect(rejected).toBe(0)
  })

  it('makes a network failure an ApiError of status 0', async () => {
    fakeFetch()
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch')
    }) as typeof fetch
    await expect(call(api.GET('/api/v1/catalogue'))).rejects.toMatchObject({ status: 0, title: '无法连接服务器，请检查网络后重试' })
  })
})
